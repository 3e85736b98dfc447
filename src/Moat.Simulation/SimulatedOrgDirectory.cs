using Moat.Core.Access;
using Moat.Detection.Enforcement;
using Moat.Simulation.Tenants;

namespace Moat.Simulation;

/// <summary>Org context (use case, allow-listing) of the simulated tenants, for the in-process engine.</summary>
public sealed class SimulatedOrgDirectory : IOrgContextProvider
{
    private readonly Dictionary<string, OrgContext> _orgs = new(StringComparer.Ordinal);

    public void Register(IEnumerable<SimulatedTenant> tenants)
    {
        foreach (var tenant in tenants)
        {
            foreach (var org in tenant.Orgs)
            {
                _orgs[org.OrgId] = new OrgContext(org.OrgId, OrgState.Active, CategoryOf(org.UseCase), org.AllowBenchmarks);
            }
        }
    }

    public OrgContext? Get(string orgId) => _orgs.GetValueOrDefault(orgId);

    private static readonly string[] Categories = ["chatbot", "coding", "search", "data-processing", "research", "evaluation", "other"];

    /// <summary>
    /// The portal's <c>use_case_category</c> an applicant with this stated use would pick (the portal accepts only the
    /// categories; a tenant may describe its use in words): a category as given, else the first category the words
    /// name — evaluation before research, as a lab evaluating models on benchmarks would file it — else "other".
    /// </summary>
    public static string? CategoryOf(string? useCase)
    {
        if (useCase is null || Categories.Contains(useCase, StringComparer.OrdinalIgnoreCase))
        {
            return useCase;
        }
        foreach (var category in (string[])["evaluation", "research", "coding", "search", "chatbot"])
        {
            if (useCase.Contains(category, StringComparison.OrdinalIgnoreCase))
            {
                return category;
            }
        }
        return "other";
    }
}
