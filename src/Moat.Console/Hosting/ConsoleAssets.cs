using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Moat.WebConsole.Hosting;

/// <summary>
/// The console's static files (MudBlazor, blazor.web.js, console.css), embedded in this assembly and served from memory,
/// so the console works the same under any host (moat from its build folder, tests, a published server).
/// </summary>
public sealed class ConsoleAssets
{
    private const string ResourcePrefix = "console-assets/";

    private readonly FrozenDictionary<string, Asset> _assets;

    public ConsoleAssets()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var name = resource[ResourcePrefix.Length..];
            var tag = Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 8));
            assets[name] = new Asset(bytes, ContentTypeOf(name), new EntityTagHeaderValue($"\"{tag}\""), tag);
        }
        _assets = assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The URL of an asset relative to the console's base (with a content hash, so caches never serve a stale copy).</summary>
    public string Url(string name) => _assets.TryGetValue(name, out var asset) ? $"_assets/{name}?v={asset.Version}" : $"_assets/{name}";

    public IResult Serve(string name) =>
        _assets.TryGetValue(name, out var asset)
            ? TypedResults.Bytes(asset.Bytes, asset.ContentType, entityTag: asset.Tag)
            : TypedResults.NotFound();

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        _ => "application/octet-stream",
    };

    private sealed record Asset(byte[] Bytes, string ContentType, EntityTagHeaderValue Tag, string Version);
}
