using System.Buffers.Binary;
using System.Text;

namespace Moat.Provenance;

/// <summary>One entry as read back from a segment.</summary>
internal readonly ref struct StoredEntry(string orgId, string keyId, string model, ReadOnlySpan<byte> requestId, long servedAtTicks, ReadOnlySpan<byte> codes, ReadOnlySpan<byte> fingerprints)
{
    public string OrgId { get; } = orgId;
    public string KeyId { get; } = keyId;
    public string Model { get; } = model;
    public ReadOnlySpan<byte> RequestIdUtf8 { get; } = requestId;
    public long ServedAtTicks { get; } = servedAtTicks;

    /// <summary>Little-endian u16 content-word codes (format v2).</summary>
    public ReadOnlySpan<byte> Codes { get; } = codes;

    /// <summary>Little-endian u32 shingle fingerprints (format v3; empty for v2).</summary>
    public ReadOnlySpan<byte> Fingerprints { get; } = fingerprints;
}

/// <summary>What reading a segment found.</summary>
internal sealed record SegmentScan(int Entries, long MaxServedAtTicks, long ValidLength, bool Truncated, bool Legacy = false);

internal delegate void StoredEntryHandler(in StoredEntry entry);

/// <summary>
/// Reads a segment front to back and stops at the first frame that is short or fails its CRC: that is a torn tail
/// (or damage), and everything from there on is cut off so the next append starts on a clean frame boundary.
/// </summary>
internal static class SegmentReader
{
    public static SegmentScan Read(string path, StoredEntryHandler onEntry)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < SegmentFormat.Magic.Length)
        {
            // Torn while the header was being written: nothing was ever acknowledged in it.
            return new SegmentScan(0, 0, 0, Truncated: true);
        }

        var magic = bytes.AsSpan(0, SegmentFormat.Magic.Length);
        var legacy = magic.SequenceEqual(SegmentFormat.MagicV1);
        var version = legacy ? 1 : magic.SequenceEqual(SegmentFormat.MagicV2) ? 2 : magic.SequenceEqual(SegmentFormat.Magic) ? 3 : 0;
        if (version == 0)
        {
            throw new InvalidDataException($"'{path}' is not a provenance segment.");
        }

        // A v1 segment is scanned for its entry count and newest served-at time only; its entries are not handed out.
        if (legacy) onEntry = static (in StoredEntry _) => { };

        var tables = new[] { new List<string>(), new List<string>(), new List<string>() };
        var offset = SegmentFormat.Magic.Length;
        var entries = 0;
        var maxServedAt = 0L;
        var data = bytes.AsSpan();
        while (offset < data.Length)
        {
            if (data.Length - offset < SegmentFormat.FrameHeaderBytes) break;
            var length = BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]);
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(data[(offset + 4)..]);
            if (length == 0 || length > SegmentFormat.MaxPayloadBytes || length > data.Length - offset - SegmentFormat.FrameHeaderBytes) break;
            var payload = data.Slice(offset + SegmentFormat.FrameHeaderBytes, (int)length);
            if (Crc32C.Compute(payload) != crc) break;
            if (!TryApply(payload, tables, onEntry, version, ref entries, ref maxServedAt)) break;
            offset += SegmentFormat.FrameHeaderBytes + (int)length;
        }

        var truncated = offset < data.Length;
        if (truncated && !legacy)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None);
            stream.SetLength(offset);
            stream.Flush(flushToDisk: true);
        }

        return new SegmentScan(entries, maxServedAt, offset, truncated, legacy);
    }

    private static bool TryApply(ReadOnlySpan<byte> payload, List<string>[] tables, StoredEntryHandler onEntry, int version, ref int entries, ref long maxServedAt)
    {
        var n = 1;
        switch (payload[0])
        {
            case SegmentFormat.StringRecord:
            {
                if (payload.Length < 2) return false;
                var table = payload[n++];
                if (table > SegmentFormat.ModelTable) return false;
                if (!SegmentFormat.TryReadVarint(payload, ref n, out var id) || id != tables[table].Count) return false;
                if (!SegmentFormat.TryReadVarint(payload, ref n, out var length) || length > payload.Length - n) return false;
                tables[table].Add(Encoding.UTF8.GetString(payload.Slice(n, (int)length)));
                return true;
            }

            case SegmentFormat.EntryRecord:
            {
                if (!SegmentFormat.TryReadVarint(payload, ref n, out var org) || org >= tables[SegmentFormat.OrgTable].Count) return false;
                if (!SegmentFormat.TryReadVarint(payload, ref n, out var key) || key >= tables[SegmentFormat.KeyTable].Count) return false;
                if (!SegmentFormat.TryReadVarint(payload, ref n, out var model) || model >= tables[SegmentFormat.ModelTable].Count) return false;
                if (!SegmentFormat.TryReadVarint(payload, ref n, out var requestLength) || requestLength > payload.Length - n) return false;
                var request = payload.Slice(n, (int)requestLength);
                n += (int)requestLength;
                if (payload.Length - n < 8) return false;
                var ticks = BinaryPrimitives.ReadInt64LittleEndian(payload[n..]);
                n += 8;
                ReadOnlySpan<byte> codes, fingerprints = default;
                if (version < 3)
                {
                    var bytesPerCode = version == 1 ? 4 : 2;
                    if (!SegmentFormat.TryReadVarint(payload, ref n, out var count) || (long)count * bytesPerCode != payload.Length - n) return false;
                    codes = payload[n..];
                }
                else
                {
                    if (!SegmentFormat.TryReadVarint(payload, ref n, out var count) || (long)count * 2 > payload.Length - n) return false;
                    codes = payload.Slice(n, (int)count * 2);
                    n += (int)count * 2;
                    if (!SegmentFormat.TryReadVarint(payload, ref n, out var fpCount) || (long)fpCount * 4 != payload.Length - n) return false;
                    fingerprints = payload[n..];
                }

                var entry = new StoredEntry(tables[SegmentFormat.OrgTable][(int)org], tables[SegmentFormat.KeyTable][(int)key],
                    tables[SegmentFormat.ModelTable][(int)model], request, ticks, codes, fingerprints);
                onEntry(in entry);
                entries++;
                maxServedAt = Math.Max(maxServedAt, ticks);
                return true;
            }

            default:
                return false;
        }
    }
}
