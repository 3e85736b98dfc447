using System.Net;
using Microsoft.Extensions.Options;

namespace Moat.Server.Surfaces;

/// <summary>The server-wide request body limit (configuration <c>Moat:Limits:MaxRequestBodyBytes</c>).</summary>
public sealed class RequestBodyOptions
{
    public const string SectionName = "Moat:Limits";

    /// <summary>
    /// Largest request body Kestrel accepts on any route, chunked or not (413 request_too_large beyond). The model API
    /// raises it per request to <c>Moat:Limits:MaxBodyBytes</c>; the admin and portal APIs keep it at most 1 MiB.
    /// </summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}

/// <summary>Which peers may set <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c> (configuration <c>Moat:ForwardedHeaders</c>).</summary>
public sealed class ForwardedHeadersSettings
{
    public const string SectionName = "Moat:ForwardedHeaders";

    /// <summary>Addresses of the reverse proxies in front of Moat, e.g. <c>10.0.0.5</c>. Empty: no peer is trusted.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR form, e.g. <c>10.0.0.0/8</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How many proxy hops to unwind (entries read from the right of <c>X-Forwarded-For</c>).</summary>
    public int ForwardLimit { get; set; } = 1;

    public bool TrustsAnyProxy => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}

/// <summary>
/// The management listener (configuration <c>Moat:Management:Urls</c>): when set, /metrics, /openapi and health details
/// are served only there; when not, they need the admin token.
/// </summary>
public sealed class ManagementOptions
{
    public const string SectionName = "Moat:Management";

    /// <summary>Semicolon-separated URLs with explicit ports, e.g. <c>http://10.0.0.5:9090</c>; empty: no management listener.</summary>
    public string? Urls { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Urls);

    /// <summary>The public URLs (--urls), set by the host so validation can refuse a port shared with them.</summary>
    internal string? PublicUrls { get; set; }

    /// <summary>The management URLs, split and trimmed.</summary>
    public IReadOnlyList<string> UrlList =>
        (Urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The ports of the management URLs (each must be explicit); requests on them are management requests.</summary>
    public IReadOnlySet<int> Ports
    {
        get
        {
            var ports = new HashSet<int>();
            foreach (var url in UrlList)
            {
                if (ManagementUrl.TryPort(url, out var port))
                {
                    ports.Add(port);
                }
            }
            return ports;
        }
    }
}

internal static class ManagementUrl
{
    /// <summary>The explicit, non-zero port of an http(s) URL (hosts like <c>*</c> and <c>+</c> allowed).</summary>
    public static bool TryPort(string url, out int port)
    {
        port = 0;
        var normalized = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.IsDefaultPort && !HasExplicitPort(url))
        {
            return false;
        }
        port = uri.Port;
        return port is > 0 and <= 65535;
    }

    private static bool HasExplicitPort(string url)
    {
        var authority = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..].Split('/')[0];
        return authority.LastIndexOf(':') > authority.LastIndexOf(']');
    }
}

/// <summary>Checks the surface settings on start with messages that name the setting.</summary>
internal sealed class SurfaceOptionsValidator :
    IValidateOptions<RequestBodyOptions>, IValidateOptions<ForwardedHeadersSettings>, IValidateOptions<ManagementOptions>
{
    public ValidateOptionsResult Validate(string? name, RequestBodyOptions options) =>
        options.MaxRequestBodyBytes is < 1024 or > 1L << 30
            ? ValidateOptionsResult.Fail($"Moat:Limits:MaxRequestBodyBytes must be between 1024 and 1073741824 (got {options.MaxRequestBodyBytes}).")
            : ValidateOptionsResult.Success;

    public ValidateOptionsResult Validate(string? name, ForwardedHeadersSettings options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.KnownProxies.Count; i++)
        {
            if (!IPAddress.TryParse(options.KnownProxies[i], out _))
            {
                failures.Add($"Moat:ForwardedHeaders:KnownProxies:{i} must be an IP address (got '{options.KnownProxies[i]}').");
            }
        }
        for (var i = 0; i < options.KnownNetworks.Count; i++)
        {
            if (!IPNetwork.TryParse(options.KnownNetworks[i], out _))
            {
                failures.Add($"Moat:ForwardedHeaders:KnownNetworks:{i} must be a network in CIDR form such as 10.0.0.0/8 (got '{options.KnownNetworks[i]}').");
            }
        }
        if (options.ForwardLimit is < 1 or > 10)
        {
            failures.Add($"Moat:ForwardedHeaders:ForwardLimit must be between 1 and 10 (got {options.ForwardLimit}).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public ValidateOptionsResult Validate(string? name, ManagementOptions options)
    {
        foreach (var url in options.UrlList)
        {
            if (!ManagementUrl.TryPort(url, out _))
            {
                return ValidateOptionsResult.Fail($"Moat:Management:Urls must be http(s) URLs with an explicit, non-zero port such as http://127.0.0.1:9090 (got '{url}').");
            }
        }
        var management = options.Ports;
        foreach (var url in (options.PublicUrls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (ManagementUrl.TryPort(url, out var port) && management.Contains(port))
            {
                return ValidateOptionsResult.Fail($"Moat:Management:Urls must use a port of its own: {port} is also a public URL ('{url}').");
            }
        }
        return ValidateOptionsResult.Success;
    }
}
