using System.Text.Json.Serialization;
using EdgeSafety.Alerts;
using EdgeSafety.Alerts.Store;
using EdgeSafety.Dashboard.Access;
using EdgeSafety.Dashboard.Accounts;
using EdgeSafety.Dashboard.Endpoints;
using EdgeSafety.Dashboard.Gateways;
using EdgeSafety.Dashboard.Live;
using EdgeSafety.Influx;
using EdgeSafety.Mqtt;
using EdgeSafety.Notifications;
using EdgeSafety.ServiceDefaults;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace EdgeSafety.Dashboard.Extensions;

public static class DashboardExtensions
{
    public static IHostApplicationBuilder AddDashboardServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddDashboardStore(builder.Environment);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SignInService>();

        // The shared alert store, opened as ingest opens it; the dashboard runs no engine loop (ingest does).
        services.AddValidatedOptions<AlertOptions>("Alerts").PostConfigure(options =>
        {
            options.RegistryPath = string.IsNullOrEmpty(options.RegistryPath) ? null : Path.Combine(builder.Environment.ContentRootPath, options.RegistryPath);
            options.Store.SqlitePath = Path.Combine(builder.Environment.ContentRootPath, options.Store.SqlitePath);
        });
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AlertOptions>>().Value);
        services.AddNotifications();
        services.AddSingleton(sp => AlertDatabase.Create(sp.GetRequiredService<AlertOptions>().Store));
        services.AddSingleton<AlertStore>();
        services.AddSingleton<AlertEngine>();
        services.AddSingleton<AlertReports>();
        services.AddSingleton<AlertActions>();

        services.AddValidatedOptions<InfluxOptions>("Influx");
        services.AddHttpClient<InfluxClient>((sp, http) => http.BaseAddress = sp.GetRequiredService<IOptions<InfluxOptions>>().Value.BaseAddress);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<InfluxOptions>>().Value);

        services.AddMqttClient("Mqtt");
        services.AddSingleton(sp => new ControlConnection(sp.NewMqttConnection("Mqtt", "-control")));
        services.AddSingleton<GatewayCommands>();
        services.AddSingleton<CurrentRegistry>();
        services.AddSingleton<LiveHub>();
        services.AddHostedService<AlertChangeFeed>();
        services.AddHostedService<ReadingsSubscriber>();
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<ControlSubscriber>(sp, sp.GetRequiredService<ControlConnection>().Client));

        services.AddSecurity(builder.Environment);
        services.Configure<JsonOptions>(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<DashboardOptions>>((kestrel, dashboard) =>
        {
            kestrel.AddServerHeader = false;
            try
            {
                kestrel.Limits.MaxRequestBodySize = dashboard.Value.MaxRequestBodyBytes;
            }
            catch (OptionsValidationException)
            {
                // The web host reads this while it is built, before start-up validation: a bad Dashboard setting is
                // reported there instead (one line naming it, exit code 2), not as an unhandled exception here.
            }
        });
        return builder;
    }

    /// <summary>The dashboard's own database (accounts, audit log); also what the users command needs.</summary>
    public static IServiceCollection AddDashboardStore(this IServiceCollection services, IHostEnvironment environment)
    {
        services.AddValidatedOptions<DashboardOptions>("Dashboard")
            .PostConfigure(options => options.StorePath = Path.Combine(environment.ContentRootPath, options.StorePath));
        services.AddSingleton(sp => new DashboardDatabase(sp.GetRequiredService<IOptions<DashboardOptions>>().Value.StorePath));
        services.AddSingleton<AccountStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>
    /// Cookie sign-in (HttpOnly, SameSite=Strict, Secure on HTTPS), API answers 401/403 as JSON instead of redirects,
    /// a session ends when the account's stamp changes (password reset), antiforgery tokens in a header, and the
    /// key ring that protects both kept beside the dashboard's store so sessions survive a restart.
    /// </summary>
    private static void AddSecurity(this IServiceCollection services, IHostEnvironment environment)
    {
        services.AddHttpContextAccessor();
        services.AddScoped(sp => new UserScope(
            sp.GetRequiredService<IHttpContextAccessor>().HttpContext?.User.Account() ?? throw new InvalidOperationException("No signed-in user."),
            sp.GetRequiredService<CurrentRegistry>().Value));

        services.AddDataProtection().SetApplicationName("EdgeSafety.Dashboard");
        services.AddValidatedOptions<KeyRing>("Dashboard")
            .Configure<IOptions<DashboardOptions>>((ring, dashboard) => ring.Folder = dashboard.Value.KeyRingPath);
        services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>()
            .Configure<IOptions<DashboardOptions>, ILoggerFactory>((keys, dashboard, loggers) =>
            {
                // The store's folder as any folder (ingest may share it); the key ring owner-only within it.
                Directory.CreateDirectory(Path.GetDirectoryName(dashboard.Value.KeyRingPath)!);
                keys.XmlRepository = new Microsoft.AspNetCore.DataProtection.Repositories.FileSystemXmlRepository(
                    SecretFile.CreateFolder(dashboard.Value.KeyRingPath), loggers);
            });

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
        {
            cookie.Cookie.Name = "edgesafety.session";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.SlidingExpiration = true;
            cookie.Events.OnRedirectToLogin = context =>
                ApiResults.Error(StatusCodes.Status401Unauthorized, "unauthenticated", "Sign in first.").ExecuteAsync(context.HttpContext);
            cookie.Events.OnRedirectToAccessDenied = context =>
                ApiResults.Error(StatusCodes.Status403Forbidden, "forbidden", "Your role does not allow this.").ExecuteAsync(context.HttpContext);
            cookie.Events.OnValidatePrincipal = async context =>
            {
                var claimed = context.Principal?.Account();
                var accounts = context.HttpContext.RequestServices.GetRequiredService<AccountStore>();
                var stored = claimed is null ? null : await accounts.FindAsync(claimed.Name, context.HttpContext.RequestAborted);
                if (stored is null || stored.Stamp != claimed!.Stamp)
                {
                    context.RejectPrincipal();
                }
            };
        });
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<DashboardOptions>>((cookie, dashboard) => cookie.ExpireTimeSpan = dashboard.Value.SessionLifetime);
        services.AddAuthorizationBuilder().AddDashboardPolicies();
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.HeaderName = AuthEndpoints.CsrfHeader;
            antiforgery.Cookie.Name = "edgesafety.csrf";
            antiforgery.Cookie.HttpOnly = true;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        if (!environment.IsDevelopment())
        {
            services.AddHsts(hsts => hsts.MaxAge = TimeSpan.FromDays(365));
        }
    }

    /// <summary>Security headers, static files, sign-in, and the antiforgery check on every state-changing API call.</summary>
    public static WebApplication UseDashboard(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
                + "worker-src 'self'; manifest-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            await next(context);
        });
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseApiErrors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(async (context, next) =>
        {
            var method = context.Request.Method;
            if (context.Request.Path.StartsWithSegments("/api")
                && !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method))
                && !await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context))
            {
                await ApiResults.Error(StatusCodes.Status400BadRequest, "csrf",
                    $"Missing or invalid antiforgery token: fetch GET /api/auth/csrf (again after signing in or out) and send it in {AuthEndpoints.CsrfHeader}.")
                    .ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        return app;
    }

    public static WebApplication MapDashboardApi(this WebApplication app)
    {
        app.MapAuthEndpoints();
        app.MapAlertEndpoints();
        app.MapPlaceEndpoints();
        app.MapInstallerEndpoints();
        app.MapHistoryEndpoints();
        app.MapPushEndpoints();
        app.MapLiveEndpoints();
        app.MapAdminEndpoints();
        return app;
    }
}
