using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;

namespace EdgeSafety.TestSupport;

/// <summary>A browser as the API sees it: a cookie jar, and the antiforgery token fetched the way the page fetches it.</summary>
public sealed class DashboardSession : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http;
    private string? _csrf;

    public DashboardSession(Uri baseAddress)
    {
        _http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseAddress };
    }

    public HttpClient Http => _http;

    /// <summary>Fetches a token (as the page does after loading, signing in or out).</summary>
    public async Task RefreshCsrfAsync() =>
        _csrf = (await _http.GetFromJsonAsync<JsonElement>("api/auth/csrf")).GetProperty("token").GetString();

    public async Task<HttpResponseMessage> SignInAsync(string name, string password)
    {
        await RefreshCsrfAsync();
        var response = await PostAsync("api/auth/sign-in", new { name, password });
        await RefreshCsrfAsync();
        return response;
    }

    public static async Task<DashboardSession> SignedInAsync(Uri baseAddress, string name, string password)
    {
        var session = new DashboardSession(baseAddress);
        using var response = await session.SignInAsync(name, password);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return session;
    }

    public Task<HttpResponseMessage> PostAsync(string path, object? body = null, bool withCsrf = true) => SendAsync(HttpMethod.Post, path, body, withCsrf);

    public Task<HttpResponseMessage> PutAsync(string path, object body, bool withCsrf = true) => SendAsync(HttpMethod.Put, path, body, withCsrf);

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(new Uri(path, UriKind.Relative));

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, bool withCsrf)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body ?? new { }) };
        if (withCsrf && _csrf is not null)
        {
            request.Headers.Add("X-CSRF-TOKEN", _csrf);
        }

        return await _http.SendAsync(request);
    }
}
