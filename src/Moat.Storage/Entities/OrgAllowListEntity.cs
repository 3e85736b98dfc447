namespace Moat.Storage.Entities;

/// <summary>
/// A reviewer's false-positive verdict on an organisation (table <c>org_allow_list</c>): until <see cref="ExpiresAt"/>
/// automatic enforcement leaves the organisation alone (it is still scored). One entry per organisation.
/// </summary>
public sealed class OrgAllowListEntity
{
    public string OrgId { get; set; } = "";
    public string CaseId { get; set; } = "";
    public string Reason { get; set; } = "";
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
