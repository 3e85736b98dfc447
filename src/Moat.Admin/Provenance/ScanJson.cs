using Moat.Provenance.Scan;

namespace Moat.Admin.Provenance;

/// <summary>The wire shape of a scan result (the published contract plus extensions) and of a background scan job.</summary>
internal static class ScanJson
{
    public static object Result(DatasetScanResult result, ScanJob job) => new
    {
        scan_id = job.Id,
        passages = result.Passages,
        distinct_passages = result.DistinctPassages,
        attributed_passages = result.AttributedPassages,
        verdict = result.Verdict,
        accounts = result.Accounts.Select(a => new
        {
            org_id = a.OrgId,
            passages = a.Passages,
            expected_by_chance = a.ExpectedByChance,
            p_value = a.PValue,
            key_ids = a.KeyIds,
            first_served_at = a.FirstServedAt,
            last_served_at = a.LastServedAt,
            examples = a.Examples.Select(e => new
            {
                passage_index = e.PassageIndex,
                request_id = e.RequestId,
                score = Math.Round(e.Score, 4),
                key_id = e.KeyId,
                model = e.Model,
                served_at = e.ServedAt,
                false_match_probability = e.FalseMatchProbability,
            }),
        }),
        method = new
        {
            count_threshold = result.Method.CountThreshold,
            passage_rate = result.Method.PassageRate,
            calibration_false_matches = result.Method.CalibrationFalseMatches,
            calibration_negatives = result.Method.CalibrationNegatives,
            significance = result.Method.Significance,
            indexed_outputs = result.Method.IndexedOutputs,
        },
        report_url = $"/admin/v1/provenance/scans/{job.Id}/report",
    };

    public static object Job(ScanJob job, bool withResult = true) => new
    {
        id = job.Id,
        @object = "provenance.scan",
        name = job.Name,
        status = job.Status,
        created_by = job.CreatedBy,
        created_at = job.CreatedAt,
        started_at = job.StartedAt,
        finished_at = job.FinishedAt,
        total = job.Total,
        scanned = job.Scanned,
        error = job.Error,
        result = withResult && job.Result is { } result ? Result(result, job) : null,
    };
}
