using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Moat.Functional.Tests.Infrastructure;
using Moat.Testing;
using Moat.Provenance.Hosting;
using OpenAI.Chat;

namespace Moat.Functional.Tests;

/// <summary>Outputs served through the real gateway are attributed to the right organisation after scrubbing.</summary>
public sealed partial class ProvenanceTests
{
    private static readonly string ReplayFile = Path.Combine(AppContext.BaseDirectory, "Fixtures", "replay.jsonl");

    private static List<(string Instruction, string Output)> Records() =>
        File.ReadLines(ReplayFile).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => (e.GetProperty("instruction").GetString()!, e.GetProperty("output").GetString()!)).ToList();

    /// <summary>What a "desensitising" leaker does: strip markdown, scrub names and numbers, re-case, keep an excerpt.</summary>
    private static string Desensitise(string text, int words)
    {
        var plain = Markdown().Replace(text, " ");
        plain = Numbers().Replace(plain, "[NUM]");
        plain = Names().Replace(plain, "[NAME]");
        var kept = plain.Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Skip(10).Take(words);
        return string.Join(' ', kept).ToLowerInvariant();
    }

    [GeneratedRegex(@"[#*_`>|]+|^\s*[-+]\s+|^\s*\d+\.\s+", RegexOptions.Multiline)]
    private static partial Regex Markdown();

    [GeneratedRegex(@"\d+([.,]\d+)*")]
    private static partial Regex Numbers();

    [GeneratedRegex(@"(?<=[a-z,;] )[A-Z][a-z]+")]
    private static partial Regex Names();

    [Fact]
    public async Task ServedOutputs_ScrubbedExcerpt_AttributedToTheOrgThatReceivedIt()
    {
        await using var host = await MoatTestHost.StartAsync(b => b.ConfigureUpstream = o => o.ReplayFile = ReplayFile);
        var alpha = await host.CreateCustomerAsync(name: "Alpha");
        var beta = await host.CreateCustomerAsync(name: "Beta");
        var records = Records();
        for (var i = 0; i < records.Count; i++)
        {
            var customer = i < 3 ? alpha : beta;
            var chat = host.OpenAi(customer.Secret).GetChatClient(MoatTestHost.Model);
            if (i % 2 == 0)
            {
                await chat.CompleteChatAsync([new UserChatMessage(records[i].Instruction)]);
            }
            else
            {
                await foreach (var _ in chat.CompleteChatStreamingAsync([new UserChatMessage(records[i].Instruction)]))
                {
                }
            }
        }
        await host.Services.GetRequiredService<ProvenanceIngestor>().WhenIdleAsync();
        using var admin = host.Http();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MoatTestHost.AdminToken);

        var fromAlpha = await SearchAsync(admin, Desensitise(records[1].Output, 80));
        var fromBeta = await SearchAsync(admin, Desensitise(records[4].Output, 60));
        var both = await SearchAsync(admin, Desensitise(records[2].Output, 70) + "\n\n" + Desensitise(records[3].Output, 70));
        var unserved = await SearchAsync(admin, "The committee met on a rainy Tuesday to discuss the allocation of parking spaces near the new library, " +
            "and after a long debate about bicycles, delivery vans and the needs of visitors with reduced mobility, it agreed to repaint the lines, " +
            "add two charging points and review the arrangement again next spring once the construction work on the east wing has finished.");

        Assert.Equal("attributed", fromAlpha.GetProperty("verdict").GetString());
        Assert.Equal(alpha.OrgId, fromAlpha.GetProperty("matches")[0].GetProperty("org_id").GetString());
        Assert.Equal(alpha.KeyId, fromAlpha.GetProperty("matches")[0].GetProperty("key_id").GetString());
        Assert.Equal(beta.OrgId, fromBeta.GetProperty("matches")[0].GetProperty("org_id").GetString());
        var sources = both.GetProperty("matches").EnumerateArray().Select(m => m.GetProperty("org_id").GetString()).ToHashSet();
        Assert.Contains(alpha.OrgId, sources);
        Assert.Contains(beta.OrgId, sources);
        Assert.Equal("no_match", unserved.GetProperty("verdict").GetString());
    }

    /// <summary>A replica with Moat:Provenance:Ingest=false serves and searches, and adds nothing to the index.</summary>
    [Fact]
    public async Task IngestOff_ServedOutputsNotIndexed_SearchStillAnswers()
    {
        await using var host = await MoatTestHost.StartAsync(b =>
        {
            b.ConfigureUpstream = o => o.ReplayFile = ReplayFile;
            b.Set("Moat:Provenance:Ingest", false);
        });
        Assert.Empty(host.Services.GetServices<Moat.Core.Signals.IServedOutputSink>());
        var customer = await host.CreateCustomerAsync(name: "Gamma");
        var record = Records()[1];
        await host.OpenAi(customer.Secret).GetChatClient(MoatTestHost.Model).CompleteChatAsync([new UserChatMessage(record.Instruction)]);
        using var admin = host.Http();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MoatTestHost.AdminToken);

        var result = await SearchAsync(admin, Desensitise(record.Output, 80));

        Assert.Equal("no_match", result.GetProperty("verdict").GetString());
        Assert.Equal(0, host.Services.GetRequiredService<Moat.Provenance.IProvenanceIndex>().Count);
    }

    private static async Task<JsonElement> SearchAsync(HttpClient admin, string text)
    {
        var response = await admin.PostAsJsonAsync("/admin/v1/provenance/search", new { text, limit = 5 });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement;
    }
}
