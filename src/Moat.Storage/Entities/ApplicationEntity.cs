namespace Moat.Storage.Entities;

/// <summary>A request for access submitted through the portal (table <c>applications</c>).</summary>
public sealed class ApplicationEntity
{
    public string Id { get; set; } = "";
    public string OrganizationName { get; set; } = "";
    public string ContactEmail { get; set; } = "";
    public string IntendedUse { get; set; } = "";
    public string UseCaseCategory { get; set; } = "";
    public long ExpectedMonthlyTokens { get; set; }
    public string TermsVersion { get; set; } = "";
    public ApplicationStatus Status { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }
    public string? ClientIp { get; set; }
    public string? ReviewedBy { get; set; }
    public DateTimeOffset? ReviewedAt { get; set; }
    public string? ReviewReason { get; set; }

    /// <summary>The organisation created on approval.</summary>
    public string? OrgId { get; set; }
    public string? Tier { get; set; }
}

/// <summary>Review state of an application; stored by its lower-case name.</summary>
public enum ApplicationStatus
{
    Pending,
    Approved,
    Rejected,
}
