using Moat.Core.Access;

namespace Moat.Detection.Enforcement;

/// <summary>What detection and policy need to know about an organisation from the access side.</summary>
/// <param name="AllowListedUntil">
/// When a reviewer's false-positive verdict stops automatic enforcement (it is still scored) — until this time; null when
/// the organisation is not on the allow-list. Compared with the policy engine's clock, so an expired entry does nothing.
/// </param>
public sealed record OrgContext(string OrgId, OrgState State, string? UseCaseCategory, bool AllowBenchmarks, DateTimeOffset? AllowListedUntil = null)
{
    public const string EvaluationUseCase = "evaluation";

    public bool IsEvaluation => string.Equals(UseCaseCategory, EvaluationUseCase, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Looks up organisation context (implemented over the key directory / storage by the admin team).</summary>
public interface IOrgContextProvider
{
    OrgContext? Get(string orgId);
}

/// <summary>Used when nothing is registered: every organisation is unknown (active, no use case).</summary>
public sealed class NoOrgContextProvider : IOrgContextProvider
{
    public static NoOrgContextProvider Instance { get; } = new();

    public OrgContext? Get(string orgId) => null;
}
