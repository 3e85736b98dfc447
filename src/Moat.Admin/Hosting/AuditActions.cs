namespace Moat.Admin.Hosting;

/// <summary>The action names written to the audit log.</summary>
public static class AuditActions
{
    public const string ApplicationSubmit = "application.submit";
    public const string ApplicationApprove = "application.approve";
    public const string ApplicationReject = "application.reject";
    public const string OrgLimits = "org.limits";
    public const string OrgTier = "org.tier";
    public const string KeyCreate = "key.create";
    public const string KeyRotate = "key.rotate";
    public const string KeyRevoke = "key.revoke";
    public const string CaseOpen = "case.open";
    public const string CaseNote = "case.note";
    public const string CaseEvidence = "case.evidence";
    public const string CaseResolve = "case.resolve";
    public const string AdminLoginFailed = "admin.login_failed";
    public const string AllowListAdd = "detection.allow_list.add";
    public const string AllowListRemove = "detection.allow_list.remove";
    public const string AllowListSuppressed = "detection.allow_list.suppressed";

    /// <summary><c>org.warn</c>, <c>org.suspend</c>, …</summary>
    public static string For(Moat.Core.Access.OrgAction action) => "org." + Moat.Core.Access.OrgStateMachine.ToWire(action);
}
