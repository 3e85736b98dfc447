using Microsoft.Extensions.Options;
using Moat.Core.Models;

namespace Moat.Gateway;

/// <summary>Request-path limits and upstream behaviour (configuration <c>Moat:Limits</c>).</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Moat:Limits";

    /// <summary>Also bound, after <see cref="SectionName"/>: every setting here may be given as <c>Moat:Gateway:…</c>.</summary>
    public const string AlternateSectionName = "Moat:Gateway";

    /// <summary>Largest accepted request body; larger ones get 413 request_too_large.</summary>
    public long MaxBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Largest non-streaming upstream response the gateway buffers.</summary>
    public long MaxResponseBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// Bytes of prompt text per reserved token when admitting a request (the upstream's own count settles it). English
    /// runs about 4.5 bytes a token and CJK about 3, so 3 reserves on the cautious side.
    /// </summary>
    public int ReservationBytesPerToken { get; set; } = 3;

    /// <summary>Prompt tokens reserved (and charged when the upstream reports no usage) per image, audio or file part.</summary>
    public int TokensPerMediaPart { get; set; } = 1105;

    /// <summary>How long to wait for an upstream's response headers before answering 504 upstream_timeout.</summary>
    public double UpstreamTimeoutSeconds { get; set; } = 600;

    /// <summary>TCP connect timeout per upstream attempt; a refused or slow connect fails over to the next upstream.</summary>
    public double ConnectTimeoutSeconds { get; set; } = 5;

    /// <summary>Longest silence tolerated inside a streamed or buffered response body.</summary>
    public double StreamIdleTimeoutSeconds { get; set; } = 300;

    /// <summary>How long an upstream that refused a connection or answered 5xx is skipped while others are healthy.</summary>
    public double UnhealthyCooldownSeconds { get; set; } = 5;
}

/// <summary>Checks the gateway options and the model catalogue on start, with messages an operator can act on.</summary>
public sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>, IValidateOptions<ModelCatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var failures = new List<string>();
        if (options.MaxBodyBytes is < 1024 or > 1L << 30)
        {
            failures.Add($"Moat:Limits:MaxBodyBytes must be between 1024 and 1073741824 (got {options.MaxBodyBytes}).");
        }
        if (options.MaxResponseBytes is < 1024 or > 1L << 31)
        {
            failures.Add($"Moat:Limits:MaxResponseBytes must be between 1024 and 2147483648 (got {options.MaxResponseBytes}).");
        }
        if (options.ReservationBytesPerToken is < 1 or > 16)
        {
            failures.Add($"Moat:Limits:ReservationBytesPerToken must be between 1 and 16 (got {options.ReservationBytesPerToken}).");
        }
        if (options.TokensPerMediaPart < 0)
        {
            failures.Add($"Moat:Limits:TokensPerMediaPart must not be negative (got {options.TokensPerMediaPart}).");
        }
        if (options.UpstreamTimeoutSeconds <= 0)
        {
            failures.Add("Moat:Limits:UpstreamTimeoutSeconds must be positive.");
        }
        if (options.ConnectTimeoutSeconds <= 0)
        {
            failures.Add("Moat:Limits:ConnectTimeoutSeconds must be positive.");
        }
        if (options.StreamIdleTimeoutSeconds <= 0)
        {
            failures.Add("Moat:Limits:StreamIdleTimeoutSeconds must be positive.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public ValidateOptionsResult Validate(string? name, ModelCatalogOptions options)
    {
        var failures = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Models.Count; i++)
        {
            var model = options.Models[i];
            var where = $"Moat:Models:{i}";
            if (string.IsNullOrWhiteSpace(model.Id))
            {
                failures.Add($"{where}:Id is required.");
            }
            else if (!seen.Add(model.Id))
            {
                failures.Add($"{where}:Id '{model.Id}' is listed twice.");
            }
            if (model.Encoding is not ("o200k_base" or "cl100k_base"))
            {
                failures.Add($"{where}:Encoding must be o200k_base or cl100k_base (got '{model.Encoding}').");
            }
            if (model.Upstreams.Count == 0)
            {
                failures.Add($"{where} ('{model.Id}') needs at least one entry in Upstreams.");
            }
            for (var j = 0; j < model.Upstreams.Count; j++)
            {
                var upstream = model.Upstreams[j];
                if (!Uri.TryCreate(upstream.BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                {
                    failures.Add($"{where}:Upstreams:{j}:BaseUrl must be an absolute http(s) URL such as http://127.0.0.1:8000/v1 (got '{upstream.BaseUrl}').");
                }
                if (upstream.Weight < 1)
                {
                    failures.Add($"{where}:Upstreams:{j}:Weight must be at least 1.");
                }
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
