using Microsoft.Extensions.DependencyInjection;
using Moat.Detection.Scoring;

namespace Moat.WebConsole.Data;

/// <summary>
/// Risk scores for the console, from the detection engine's <see cref="RiskScorer"/> when the host runs detection;
/// <see cref="Available"/> is false otherwise and the pages say there is no risk data.
/// </summary>
public sealed class ConsoleRisk(IServiceProvider services)
{
    private readonly RiskScorer? _scorer = services.GetService<RiskScorer>();

    public bool Available => _scorer is not null;

    public IReadOnlyList<RiskAssessment> Leaderboard(int limit = 100) => _scorer?.GetLeaderboard(limit) ?? [];

    public RiskAssessment? Assessment(string orgId) => _scorer?.Get(orgId);

    public IReadOnlyList<RiskSnapshot> History(string orgId) => _scorer?.GetHistory(orgId) ?? [];

    public (double Score, RiskLevel Level)? ScoreOf(string orgId) =>
        _scorer?.GetScore(orgId) is { } score ? (Math.Round(score, 1), _scorer.LevelOf(score)) : null;
}
