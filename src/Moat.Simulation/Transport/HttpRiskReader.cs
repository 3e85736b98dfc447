using System.Net;
using System.Text.Json;

namespace Moat.Simulation.Transport;

/// <summary>
/// Reads an organisation's score from <c>GET /admin/v1/risk/{org_id}</c> of a real gateway. <paramref name="settle"/>
/// waits until detection has processed everything sent so far, so the score includes the request just made.
/// </summary>
public sealed class HttpRiskReader(HttpClient admin, IReadOnlyDictionary<string, string> orgIds, Func<CancellationToken, Task>? settle = null) : IRiskReader
{
    public async Task<RiskReading?> ReadAsync(string orgId, CancellationToken cancellationToken)
    {
        if (settle is not null)
        {
            await settle(cancellationToken).ConfigureAwait(false);
        }
        var id = orgIds.TryGetValue(orgId, out var mapped) ? mapped : orgId;
        using var response = await admin.GetAsync("admin/v1/risk/" + Uri.EscapeDataString(id), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        var root = document.RootElement;
        var score = root.GetProperty("score").GetDouble();
        var peak = root.TryGetProperty("peak_score", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetDouble() : score;
        return new RiskReading(orgId, score, Math.Max(score, peak));
    }
}
