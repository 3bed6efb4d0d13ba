using EdgeSafety.TestSupport;
using Microsoft.Playwright;

namespace EdgeSafety.EndToEnd.Tests;

/// <summary>What the browser tests do on any dashboard page: sign in, watch for script errors, keep a screenshot.</summary>
public static class DashboardPages
{
    /// <summary>Where the screenshots of the main screens go (artifacts/screenshots; docs/screenshots holds copies).</summary>
    public static string ScreenshotDirectory { get; } = RepositoryPaths.File("artifacts", "screenshots");

    public static LocatorAssertionsToBeVisibleOptions Visible(TimeSpan within) => new() { Timeout = (float)within.TotalMilliseconds };

    /// <summary>A new page in the context, signed in as the account; fails the test on any script error it logs.</summary>
    public static async Task<IPage> SignInAsync(IBrowserContext context, string name, string password, List<string> scriptErrors)
    {
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            // Failed requests are logged by the browser as errors too; the tests check statuses themselves (the
            // signed-out probe of /api/auth/me answers 401, another landlord's unit 404).
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                scriptErrors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => scriptErrors.Add(error);
        await page.GotoAsync("/");
        await page.Locator("#sign-in-name").FillAsync(name);
        await page.Locator("#sign-in-password").FillAsync(password);
        await page.Locator("form.sign-in button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#sign-out")).ToBeVisibleAsync(Visible(RunningStack.Bound));
        return page;
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }
}
