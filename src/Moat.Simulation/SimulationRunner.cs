using System.Diagnostics;
using Moat.Simulation.Tenants;
using Moat.Simulation.Transport;

namespace Moat.Simulation;

/// <summary>What happened to one tenant.</summary>
public sealed class TenantOutcome(SimulatedTenant tenant)
{
    public SimulatedTenant Tenant { get; } = tenant;
    public string Kind => Tenant.Kind;
    public bool IsAbusive => Tenant.IsAbusive;
    public int Requests { get; internal set; }

    /// <summary>Abusive: the lowest over its orgs of each org's peak within the budget (all orgs must be caught). Benign: the highest org peak.</summary>
    public double PeakScore { get; internal set; }

    /// <summary>Requests the tenant had sent when every one of its orgs first reached the warn / case threshold (null: never).</summary>
    public int? RequestsToFirstFlag { get; internal set; }
    public int? RequestsToCase { get; internal set; }

    internal Dictionary<string, double> OrgPeaks { get; } = new(StringComparer.Ordinal);
}

/// <summary>The outcome of a run.</summary>
public sealed record SimulationResult(
    SimulationScenario Scenario,
    IReadOnlyList<TenantOutcome> Outcomes,
    double WarnAt,
    double CaseAt,
    long TotalRequests,
    TimeSpan WallClock);

/// <summary>
/// Drives tenants through a transport in virtual-time order and measures detection through an <see cref="IRiskReader"/>.
/// Knows nothing of the engine: the same runner works in-process and against a real gateway over HTTP.
/// </summary>
public sealed class SimulationRunner(ISimulationTransport transport, IRiskReader reader, double warnAt = 50, double caseAt = 80)
{
    public async Task<SimulationResult> RunAsync(
        SimulationScenario scenario, IReadOnlyList<SimulatedTenant> tenants, VirtualTimeProvider? clock, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var outcomes = tenants.Select(t => new TenantOutcome(t)).ToList();
        var queue = new PriorityQueue<(TenantOutcome Outcome, IEnumerator<SimulatedRequest> Requests), (DateTimeOffset, int)>();
        for (var i = 0; i < outcomes.Count; i++)
        {
            var requests = outcomes[i].Tenant.Generate().GetEnumerator();
            if (requests.MoveNext())
            {
                queue.Enqueue((outcomes[i], requests), (requests.Current.Timestamp, i));
            }
        }
        long total = 0;
        while (queue.TryDequeue(out var next, out var priority))
        {
            var (outcome, requests) = next;
            var request = requests.Current;
            clock?.AdvanceTo(request.Timestamp);
            await transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
            total++;
            outcome.Requests++;
            if (outcome.IsAbusive && !await TrackAbusiveAsync(outcome, request.OrgId, scenario, cancellationToken).ConfigureAwait(false))
            {
                requests.Dispose();
                continue;
            }
            if (requests.MoveNext())
            {
                queue.Enqueue(next, (requests.Current.Timestamp, priority.Item2));
            }
            else
            {
                requests.Dispose();
            }
        }
        foreach (var outcome in outcomes.Where(o => !o.IsAbusive))
        {
            foreach (var org in outcome.Tenant.Orgs)
            {
                var reading = await reader.ReadAsync(org.OrgId, cancellationToken).ConfigureAwait(false);
                outcome.PeakScore = Math.Max(outcome.PeakScore, reading?.PeakScore ?? 0);
            }
        }
        return new SimulationResult(scenario, outcomes, warnAt, caseAt, total, stopwatch.Elapsed);
    }

    /// <summary>Reads the org's score after each request; returns false when the tenant should stop.</summary>
    private async Task<bool> TrackAbusiveAsync(TenantOutcome outcome, string orgId, SimulationScenario scenario, CancellationToken cancellationToken)
    {
        var reading = await reader.ReadAsync(orgId, cancellationToken).ConfigureAwait(false);
        var score = reading?.Score ?? 0;
        outcome.OrgPeaks[orgId] = Math.Max(outcome.OrgPeaks.GetValueOrDefault(orgId), score);
        var orgs = outcome.Tenant.Orgs;
        var lowest = double.MaxValue;
        foreach (var org in orgs)
        {
            lowest = Math.Min(lowest, outcome.OrgPeaks.GetValueOrDefault(org.OrgId));
        }
        outcome.PeakScore = lowest;
        if (lowest >= warnAt)
        {
            outcome.RequestsToFirstFlag ??= outcome.Requests;
        }
        if (lowest >= caseAt)
        {
            outcome.RequestsToCase ??= outcome.Requests;
        }
        return outcome.Requests < outcome.Tenant.Budget && lowest < scenario.StopAbusiveAtScore;
    }
}
