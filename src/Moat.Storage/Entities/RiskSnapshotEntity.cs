namespace Moat.Storage.Entities;

/// <summary>A point-in-time risk score of an organisation (table <c>risk_snapshots</c>).</summary>
public sealed class RiskSnapshotEntity
{
    public long Id { get; set; }
    public string OrgId { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public double Score { get; set; }
    public string Level { get; set; } = "";
    public string SignalsJson { get; set; } = "[]";
}
