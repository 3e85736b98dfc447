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
                _orgs[org.OrgId] = new OrgContext(org.OrgId, OrgState.Active, org.UseCase, org.AllowBenchmarks);
            }
        }
    }

    public OrgContext? Get(string orgId) => _orgs.GetValueOrDefault(orgId);
}
