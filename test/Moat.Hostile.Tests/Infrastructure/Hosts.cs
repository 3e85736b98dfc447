using System.Net.Http.Headers;
using System.Text;
using Moat.Testing;

namespace Moat.Hostile.Tests.Infrastructure;

public static class Hosts
{
    /// <summary>A real Moat host whose only upstream is <paramref name="upstream"/>.</summary>
    public static Task<MoatTestHost> InFrontOfAsync(ScriptedUpstream upstream, Action<MoatTestHostBuilder>? configure = null) =>
        MoatTestHost.StartAsync(b =>
        {
            b.UpstreamCount = 0;
            b.ExtraUpstreamUrls.Add(upstream.BaseUrl);
            configure?.Invoke(b);
        });

    public static async Task<(int Status, string Body, HttpResponseMessage Response)> PostJsonAsync(HttpClient http, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        var response = await http.PostAsync(path, content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.First() : "";

    public static HttpClient WithKey(MoatTestHost host, string secret)
    {
        var http = host.Http();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return http;
    }
}

/// <summary>Tests that measure time or memory run alone, not beside the fuzzer.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Serial
{
    public const string Name = "serial (timing and memory)";
}
