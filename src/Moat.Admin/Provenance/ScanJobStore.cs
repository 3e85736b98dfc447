using System.Text.Json;
using System.Text.Json.Serialization;
using Moat.Provenance.Scan;

namespace Moat.Admin.Provenance;

/// <summary>
/// Keeps scan jobs on disk (<c>{Provenance:Directory}/scans/{id}.json</c>, written whole to a temporary file and
/// renamed, so a crash leaves the old version or the new one): a restart keeps finished results for their retention,
/// and a job that was queued or running when the process stopped comes back failed, saying so, instead of vanishing.
/// </summary>
internal sealed class ScanJobStore(string directory)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Directory { get; } = directory;

    public void Save(ScanJob job)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = PathOf(job.Id);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(ScanJobRecord.Of(job), Json));
        File.Move(temporary, path, overwrite: true);
    }

    public void Delete(string id)
    {
        File.Delete(PathOf(id));
    }

    /// <summary>Every readable job on disk; an unreadable file is skipped and reported through <paramref name="unreadable"/>.</summary>
    public IReadOnlyList<ScanJobRecord> Load(Action<string, Exception> unreadable)
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        var records = new List<ScanJobRecord>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "scan_*.json"))
        {
            try
            {
                if (JsonSerializer.Deserialize<ScanJobRecord>(File.ReadAllBytes(path), Json) is { } record) records.Add(record);
            }
            catch (Exception error) when (error is JsonException or IOException or NotSupportedException)
            {
                unreadable(path, error);
            }
        }
        return records;
    }

    private string PathOf(string id) =>
        // Ids are generated here ("scan_" + hex); anything else never names a file.
        id.StartsWith("scan_", StringComparison.Ordinal) && id.Length <= 64 && id.Skip(5).All(char.IsAsciiLetterOrDigit)
            ? Path.Combine(Directory, id + ".json")
            : throw new ArgumentException($"Not a scan id: '{id}'.", nameof(id));
}

/// <summary>A scan job as stored.</summary>
internal sealed record ScanJobRecord(
    string Id, string? Name, string CreatedBy, DateTimeOffset CreatedAt, long Total, string Status, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    long Scanned, DatasetScanResult? Result, string? Error)
{
    public static ScanJobRecord Of(ScanJob job) =>
        new(job.Id, job.Name, job.CreatedBy, job.CreatedAt, job.Total, job.Status, job.StartedAt, job.FinishedAt, job.Scanned, job.Result, job.Error);
}
