using Moat.Detection;
using Moat.Detection.Enforcement;
using Moat.Detection.Semantic;
using Moat.Simulation.Transport;

namespace Moat.Simulation;

/// <summary>Wires a scenario to a fresh in-process detection engine on virtual time (tuning, the CI test, the report).</summary>
public static class InProcessSimulation
{
    public static readonly DateTimeOffset Start = new(2025, 1, 6, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// One MiniLM embedder for every run in the process (the model loads once; simulated prompts repeat, so its cache
    /// spares much of the embedding). 65,536 cached vectors hold ~100 MB; a run of the six quick held-out populations
    /// embeds fewer distinct prompts than that.
    /// </summary>
    public static IPromptEmbedder SharedEmbedder => Embedder.Value;

    private static readonly Lazy<MiniLmPromptEmbedder> Embedder = new(() => new MiniLmPromptEmbedder(cacheCapacity: 65_536));

    /// <param name="semantic">Whether detection's semantic contrast runs (the shipped default; false measures the detector without it).</param>
    public static async Task<SimulationResult> RunAsync(
        SimulationScenario scenario, SimulationData data, Action<DetectionEngine>? inspect = null, CancellationToken cancellationToken = default,
        bool semantic = true)
    {
        var clock = new VirtualTimeProvider(Start);
        var tenants = scenario.CreateTenants(data, Start);
        var directory = new SimulatedOrgDirectory();
        directory.Register(tenants);
        var enforcement = new EnforcementOptions();
        var options = new DetectionOptions
        {
            ModelReleases = new(StringComparer.Ordinal) { [Tenants.TenantContext.NewModel] = Start + TimeSpan.FromHours(scenario.ReleaseAfterHours) },
        };
        var engine = DetectionEngine.Create(options, data.Index, clock, directory, enforcement, embedder: semantic ? SharedEmbedder : null);
        var runner = new SimulationRunner(new InProcessTransport(engine), new InProcessRiskReader(engine), enforcement.WarnAt, enforcement.CaseAt);
        var result = await runner.RunAsync(scenario, tenants, clock, cancellationToken).ConfigureAwait(false);
        inspect?.Invoke(engine);
        return result;
    }
}
