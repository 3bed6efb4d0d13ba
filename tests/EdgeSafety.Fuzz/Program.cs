using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EdgeSafety.Fuzz;

// `./edgesafety fuzz` forwards here (docs/fuzzing.md). Exit code 0: no crash; 1: crashes (printed and saved); 2: bad arguments.
var targets = new Option<string[]>("--target") { Description = $"targets to run, each NAME or NAME:CASES (default: all in process: {string.Join(", ", FuzzTargets.InProcess)}); web needs --base", AllowMultipleArgumentsPerToken = true };
var cases = new Option<long>("--cases") { Description = "cases per target", DefaultValueFactory = _ => 100_000 };
var seed = new Option<int?>("--seed") { Description = "seed of the run (default: from the clock, printed)" };
var oneCase = new Option<long?>("--case") { Description = "run only this case of --seed (a crash's replay)" };
var replay = new Option<FileInfo?>("--replay") { Description = "run one saved input (a crash file) against the --target" };
var crashes = new Option<DirectoryInfo>("--crashes") { Description = "where crash inputs are saved", DefaultValueFactory = _ => new DirectoryInfo("fuzz-crashes") };
var baseAddress = new Option<string?>("--base") { Description = "web target: the service's base address, e.g. http://127.0.0.1:8091/" };
var routes = new Option<FileInfo?>("--routes") { Description = "web target: route list (default: ingest's API, ingest-routes.txt)" };
var headers = new Option<string[]>("--header") { Description = "web target: a header sent with every request, e.g. \"Cookie: ...\"", AllowMultipleArgumentsPerToken = false };

var root = new RootCommand("EdgeSafety fuzzing harness: hostile inputs against the code that reads them; no crash, every rejection counted.")
{
    targets, cases, seed, oneCase, replay, crashes, baseAddress, routes, headers,
};
root.SetAction(parse =>
{
    var names = parse.GetValue(targets) is { Length: > 0 } chosen ? chosen.SelectMany(t => t.Split(',')).ToList() : [.. FuzzTargets.InProcess];
    var runSeed = parse.GetValue(seed) ?? Environment.TickCount;
    var runner = new FuzzRunner(Console.Out, parse.GetValue(crashes)!.FullName);
    var total = 0L;
    var crashCount = 0;
    var clock = Stopwatch.StartNew();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fuzz: seed {runSeed}, targets {string.Join(", ", names)}"));
    foreach (var named in names)
    {
        var name = named.Split(':')[0];
        var count = named.Contains(':', StringComparison.Ordinal) && long.TryParse(named.Split(':')[1], NumberStyles.None, CultureInfo.InvariantCulture, out var own) ? own : parse.GetValue(cases);
        FuzzTarget target;
        try
        {
            target = name == "web"
                ? FuzzTargets.Web(Uri.TryCreate(parse.GetValue(baseAddress), UriKind.Absolute, out var address) ? address : throw new ArgumentException("the web target needs --base URL, e.g. http://127.0.0.1:8091/"),
                    parse.GetValue(routes)?.FullName, parse.GetValue(headers) ?? [])
                : FuzzTargets.Create(name);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"fuzz: {ex.Message}");
            return 2;
        }

        try
        {
            if (parse.GetValue(replay) is { } file || parse.GetValue(oneCase) is not null)
            {
                var input = parse.GetValue(replay) is { } saved ? File.ReadAllBytes(saved.FullName) : FuzzRunner.Generate(target, runSeed, parse.GetValue(oneCase)!.Value);
                var tally = new Tally();
                var error = FuzzRunner.Execute(target, input, tally);
                Console.WriteLine($"input ({input.Length} bytes): {FuzzRunner.Hex(input)}");
                Console.WriteLine(error ?? $"no crash: accepted {tally.Accepted}, rejected {string.Join(", ", tally.Rejections.Select(r => $"{r.Key} {r.Value}"))}");
                crashCount += error is null ? 0 : 1;
                continue;
            }

            var result = runner.Run(target, count, runSeed);
            Console.WriteLine(result.Summary());
            total += result.Cases;
            crashCount += result.Crashes.Count;
        }
        finally
        {
            (target as IDisposable)?.Dispose();
        }
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fuzz: {total:N0} cases, {crashCount} crashes, {clock.Elapsed.TotalSeconds:F0} s, seed {runSeed}"));
    return crashCount == 0 ? 0 : 1;
});
return await root.Parse(args).InvokeAsync();
