namespace Moat.Storage.Entities;

/// <summary>An investigation of an organisation (table <c>cases</c>).</summary>
public sealed class CaseEntity
{
    public string Id { get; set; } = "";
    public string OrgId { get; set; } = "";
    public CaseStatus Status { get; set; }
    public string OpenedBy { get; set; } = "";
    public DateTimeOffset OpenedAt { get; set; }
    public string Reason { get; set; } = "";
    public CaseResolution? Resolution { get; set; }
    public string? RequiredChanges { get; set; }
    public string? ResolvedBy { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }

    public List<CaseEventEntity> Events { get; set; } = [];
}

/// <summary>One entry of a case's timeline (table <c>case_events</c>).</summary>
public sealed class CaseEventEntity
{
    public long Id { get; set; }
    public string CaseId { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public string Actor { get; set; } = "";
    public CaseEventKind Kind { get; set; }
    public string Text { get; set; } = "";
    public string? PayloadJson { get; set; }
}

/// <summary>Stored by lower-case name.</summary>
public enum CaseStatus
{
    Open,
    Resolved,
}

/// <summary>Stored by lower-case name.</summary>
public enum CaseResolution
{
    Reinstated,
    Terminated,
}

/// <summary>Stored by lower-case name.</summary>
public enum CaseEventKind
{
    Note,
    Action,
    Evidence,
    Signal,
}
