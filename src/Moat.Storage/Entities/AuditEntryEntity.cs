namespace Moat.Storage.Entities;

/// <summary>One link of the hash-chained audit log (table <c>audit_entries</c>); seq runs 1..n without gaps.</summary>
public sealed class AuditEntryEntity
{
    public long Seq { get; set; }
    public DateTimeOffset At { get; set; }
    public string Actor { get; set; } = "";
    public string Action { get; set; } = "";
    public string Subject { get; set; } = "";

    /// <summary>Canonical JSON (sorted keys, no whitespace) or "null".</summary>
    public string PayloadJson { get; set; } = "null";

    public string PrevHash { get; set; } = "";
    public string Hash { get; set; } = "";
}
