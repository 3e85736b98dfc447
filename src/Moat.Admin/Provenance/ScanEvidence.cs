using Moat.Admin.Cases;
using Moat.Storage.Entities;

namespace Moat.Admin.Provenance;

/// <summary>
/// A completed dataset scan as case evidence: one timeline line, and a payload holding the result (in its wire shape)
/// and the HTML report. The admin API's <c>attach</c> and the console both attach through here.
/// </summary>
public static class ScanEvidence
{
    public const string Kind = "provenance_scan";

    /// <summary>Attaches the scan's result to the case; the job must have completed.</summary>
    public static Task<CaseEntity> AttachAsync(CaseService cases, ScanJob job, string caseId, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(job);
        var result = job.Result ?? throw new InvalidOperationException($"Scan '{job.Id}' has no result ({job.Status}).");
        var top = result.Accounts.Count > 0 ? result.Accounts[0] : null;
        var text = top is null
            ? $"provenance scan {job.Id}: {result.Verdict}, no account reached the count threshold ({result.DistinctPassages} passages)"
            : $"provenance scan {job.Id}: {result.Verdict}; {top.Passages} of {result.DistinctPassages} passages on {top.OrgId} (p = {top.PValue:G3})";
        var payload = new
        {
            kind = Kind,
            scan = ScanJson.Result(result, job),
            report_html = ScanReport.Html(result, job.Name, job.Id, job.FinishedAt ?? job.CreatedAt),
        };
        return cases.AttachEvidenceAsync(caseId, text, payload, actor, cancellationToken);
    }
}
