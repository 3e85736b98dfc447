using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Moat.Admin.Api;
using Moat.Provenance.Scan;

namespace Moat.Admin.Provenance;

/// <summary>
/// Reads a leaked dataset from a request body into a <see cref="PassageSpool"/>: a JSON object <c>{"passages": […]}</c>,
/// JSON Lines (one string, or one object whose text field is <c>text</c>, <c>output</c>, <c>response</c>,
/// <c>completion</c>, <c>content</c>, <c>answer</c> or <c>passage</c>, or a chat record whose assistant turns are the
/// passages), CSV with a header row (the <c>column</c> query parameter, or the first column with one of those names), or
/// plain text (passages separated by blank lines). A multipart form carries one file, read by its extension.
/// </summary>
public static class PassageReader
{
    /// <summary>Field names that hold a record's text, in the order they are tried.</summary>
    public static readonly string[] TextFields = ["text", "output", "response", "completion", "content", "answer", "passage"];

    public enum Format
    {
        Json,
        JsonLines,
        Csv,
        PlainText,
    }

    /// <summary>The format a content type (or, for a multipart file or octet stream, the file name) names; null when neither says.</summary>
    public static Format? FormatOf(string? contentType, string? fileName)
    {
        var media = MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? parsed.MediaType.Value?.ToLowerInvariant() : null;
        Format? byType = media switch
        {
            "application/json" => Format.Json,
            "application/x-ndjson" or "application/jsonl" or "application/x-jsonlines" or "application/jsonlines" or "application/json-lines" => Format.JsonLines,
            "text/csv" or "application/csv" => Format.Csv,
            "text/plain" => Format.PlainText,
            _ => null,
        };
        if (byType is not null) return byType;
        return Path.GetExtension(fileName ?? "").ToLowerInvariant() switch
        {
            ".json" => Format.Json,
            ".jsonl" or ".ndjson" => Format.JsonLines,
            ".csv" => Format.Csv,
            ".txt" or ".text" or ".md" => Format.PlainText,
            _ => null,
        };
    }

    /// <summary>
    /// The most bytes a dataset of this format may take: JSON is parsed whole, so it has a ceiling of its own
    /// (<c>MaxJsonBytes</c>) within the upload limit every other format streams under.
    /// </summary>
    public static long MaxBytes(Format? format, ProvenanceScanOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return format == Format.Json ? Math.Min(options.MaxJsonBytes, options.MaxUploadBytes) : options.MaxUploadBytes;
    }

    /// <summary>
    /// Reads a dataset into a new spool the caller owns: a JSON body up to <c>MaxJsonPassages</c>, an upload up to
    /// <c>MaxUploadPassages</c>. A malformed record, too many passages or none at all is a 400 (and no spool is left).
    /// The admin API (body and multipart file) and the console's upload all read through here.
    /// </summary>
    public static async Task<PassageSpool> SpoolAsync(Stream body, Format format, ProvenanceScanOptions options, string? csvColumn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var spool = new PassageSpool(ProvenanceScanService.SpoolDirectory);
        try
        {
            var max = format == Format.Json ? options.MaxJsonPassages : options.MaxUploadPassages;
            // JSON is parsed whole: whatever carries it (a body, a file in a form) it is read only up to its own ceiling.
            var source = format == Format.Json ? new BoundedReadStream(body, MaxBytes(format, options)) : body;
            await ReadAsync(source, format, spool, max, csvColumn, cancellationToken).ConfigureAwait(false);
            if (spool.Count == 0) throw AdminApiException.Invalid("The dataset holds no passages.");
            return spool;
        }
        catch
        {
            spool.Dispose();
            throw;
        }
    }

    /// <summary>Parses <paramref name="body"/> into the spool; a malformed record is a 400 naming its line.</summary>
    private static async Task ReadAsync(Stream body, Format format, PassageSpool spool, int maxPassages, string? csvColumn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(spool);
        switch (format)
        {
            case Format.Json:
                await ReadJsonAsync(body, spool, maxPassages, cancellationToken).ConfigureAwait(false);
                break;
            case Format.JsonLines:
                await ReadLinesAsync(body, spool, maxPassages, cancellationToken).ConfigureAwait(false);
                break;
            case Format.Csv:
                await ReadCsvAsync(body, spool, maxPassages, csvColumn, cancellationToken).ConfigureAwait(false);
                break;
            default:
                await ReadPlainTextAsync(body, spool, maxPassages, cancellationToken).ConfigureAwait(false);
                break;
        }

        spool.Complete();
    }

    private static async Task ReadJsonAsync(Stream body, PassageSpool spool, int maxPassages, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(body, default, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            throw AdminApiException.Invalid("The body is not valid JSON: send {\"passages\": [\"…\", …]}, or upload JSON Lines, CSV or plain text.");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("passages", out var passages)
                || passages.ValueKind != JsonValueKind.Array)
            {
                throw AdminApiException.Invalid("'passages' is required and must be an array of strings.", "passages");
            }

            var count = passages.GetArrayLength();
            if (count == 0) throw AdminApiException.Invalid("'passages' must hold at least one passage.", "passages");
            if (count > maxPassages)
            {
                throw AdminApiException.Invalid(
                    $"'passages' holds {count} passages; at most {maxPassages} are accepted in one JSON body (upload a JSON Lines, CSV or text file for more).", "passages");
            }

            var i = 0;
            foreach (var passage in passages.EnumerateArray())
            {
                if (passage.ValueKind != JsonValueKind.String) throw AdminApiException.Invalid($"passages[{i}] must be a string.", "passages");
                spool.Add(passage.GetString()!);
                i++;
            }
        }
    }

    private static async Task ReadLinesAsync(Stream body, PassageSpool spool, int maxPassages, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        var lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonDocument record;
            try
            {
                record = JsonDocument.Parse(line);
            }
            catch (JsonException)
            {
                throw AdminApiException.Invalid($"Line {lineNumber} is not valid JSON (JSON Lines: one string or object per line).");
            }

            using (record)
            {
                var texts = TextsOf(record.RootElement);
                if (texts.Count == 0)
                {
                    throw AdminApiException.Invalid(
                        $"Line {lineNumber} has no text: give a string, an object with one of {string.Join(", ", TextFields)}, or a chat record with assistant messages.");
                }

                foreach (var text in texts) Add(spool, text, maxPassages);
            }
        }
    }

    /// <summary>A record's passages: a string; an object's first text field; or the assistant turns of a chat record.</summary>
    private static List<string> TextsOf(JsonElement record)
    {
        if (record.ValueKind == JsonValueKind.String) return [record.GetString()!];
        if (record.ValueKind != JsonValueKind.Object) return [];
        foreach (var field in TextFields)
        {
            if (record.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String) return [value.GetString()!];
        }

        var turns = new List<string>();
        // OpenAI chat ({"messages": [{"role", "content"}]}) and ShareGPT ({"conversations": [{"from", "value"}]}).
        if (record.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            foreach (var m in messages.EnumerateArray())
            {
                if (m.ValueKind == JsonValueKind.Object && m.TryGetProperty("role", out var role) && role.ValueEquals("assistant")
                    && m.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
                {
                    turns.Add(content.GetString()!);
                }
            }
        }
        else if (record.TryGetProperty("conversations", out var conversation) && conversation.ValueKind == JsonValueKind.Array)
        {
            foreach (var m in conversation.EnumerateArray())
            {
                if (m.ValueKind == JsonValueKind.Object && m.TryGetProperty("from", out var from) && (from.ValueEquals("gpt") || from.ValueEquals("assistant"))
                    && m.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String)
                {
                    turns.Add(value.GetString()!);
                }
            }
        }

        return turns;
    }

    private static async Task ReadCsvAsync(Stream body, PassageSpool spool, int maxPassages, string? column, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture) { BadDataFound = null, MissingFieldFound = null, DetectDelimiter = true };
        using var csv = new CsvReader(reader, configuration);
        try
        {
            if (!await csv.ReadAsync().ConfigureAwait(false) || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
            {
                throw AdminApiException.Invalid("The CSV file is empty: it needs a header row and one passage per row.");
            }

            var index = ColumnOf(header, column);
            while (await csv.ReadAsync().ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                Add(spool, csv.GetField(index) ?? "", maxPassages);
            }
        }
        catch (CsvHelperException error)
        {
            throw AdminApiException.Invalid($"The CSV file could not be read at row {error.Context?.Parser?.Row}: {error.GetType().Name}.");
        }
    }

    private static int ColumnOf(string[] header, string? column)
    {
        if (!string.IsNullOrWhiteSpace(column))
        {
            var named = Array.FindIndex(header, h => string.Equals(h.Trim(), column, StringComparison.OrdinalIgnoreCase));
            return named >= 0 ? named : throw AdminApiException.Invalid($"The CSV file has no column '{column}' (it has: {string.Join(", ", header)}).", "column");
        }

        if (header.Length == 1) return 0;
        foreach (var field in TextFields)
        {
            var found = Array.FindIndex(header, h => string.Equals(h.Trim(), field, StringComparison.OrdinalIgnoreCase));
            if (found >= 0) return found;
        }

        throw AdminApiException.Invalid(
            $"Which CSV column holds the text? None is named {string.Join(", ", TextFields)}; pass ?column=NAME (columns: {string.Join(", ", header)}).", "column");
    }

    private static async Task ReadPlainTextAsync(Stream body, PassageSpool spool, int maxPassages, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        var passage = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                if (passage.Length > 0) Add(spool, passage.ToString(), maxPassages);
                passage.Clear();
                continue;
            }

            if (passage.Length > 0) passage.Append('\n');
            passage.Append(line);
        }

        if (passage.Length > 0) Add(spool, passage.ToString(), maxPassages);
    }

    private static void Add(PassageSpool spool, string passage, int maxPassages)
    {
        if (spool.Count >= maxPassages)
        {
            throw AdminApiException.Invalid($"The dataset holds more than {maxPassages} passages, the most one scan accepts; split it.");
        }

        spool.Add(passage);
    }
}
