using System.Buffers.Binary;
using System.Text;

namespace Moat.Provenance;

/// <summary>Appends framed records to one segment file; the caller serialises access.</summary>
internal sealed class SegmentWriter : IDisposable
{
    private readonly FileStream _stream;
    private readonly Dictionary<string, uint>[] _strings = [new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal)];
    private byte[] _scratch = new byte[4096];

    private SegmentWriter(string path, FileStream stream, DateOnly day)
    {
        Path = path;
        _stream = stream;
        Day = day;
        Length = stream.Length;
    }

    public string Path { get; }

    /// <summary>UTC day the segment was opened; segments close at midnight so retention can drop whole days.</summary>
    public DateOnly Day { get; }

    /// <summary>Bytes written, including those still buffered.</summary>
    public long Length { get; private set; }

    public static SegmentWriter Create(string path, DateOnly day)
    {
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 64 * 1024);
        stream.Write(SegmentFormat.Magic);
        return new SegmentWriter(path, stream, day);
    }

    public void Append(ServedText served, ReadOnlySpan<ushort> codes, ReadOnlySpan<uint> fingerprints)
    {
        var org = StringId(SegmentFormat.OrgTable, served.OrgId);
        var key = StringId(SegmentFormat.KeyTable, served.KeyId);
        var model = StringId(SegmentFormat.ModelTable, served.Model);

        var payload = Payload(SegmentFormat.MaxEntryPayload(served, codes.Length, fingerprints.Length));
        var n = 0;
        payload[n++] = SegmentFormat.EntryRecord;
        n += SegmentFormat.WriteVarint(payload[n..], org);
        n += SegmentFormat.WriteVarint(payload[n..], key);
        n += SegmentFormat.WriteVarint(payload[n..], model);
        var requestBytes = Encoding.UTF8.GetBytes(served.RequestId, payload[(n + 5)..]);
        // Length first, bytes after: encode the bytes past a worst-case varint, then slide them into place.
        var lengthBytes = SegmentFormat.WriteVarint(payload[n..], (uint)requestBytes);
        payload.Slice(n + 5, requestBytes).CopyTo(payload[(n + lengthBytes)..]);
        n += lengthBytes + requestBytes;
        BinaryPrimitives.WriteInt64LittleEndian(payload[n..], served.ServedAt.UtcTicks);
        n += 8;
        n += SegmentFormat.WriteVarint(payload[n..], (uint)codes.Length);
        foreach (var code in codes)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(payload[n..], code);
            n += 2;
        }

        n += SegmentFormat.WriteVarint(payload[n..], (uint)fingerprints.Length);
        foreach (var fp in fingerprints)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(payload[n..], fp);
            n += 4;
        }

        WriteFrame(n);
    }

    /// <summary>Hands buffered frames to the OS and forces them to stable storage.</summary>
    public void Flush() => _stream.Flush(flushToDisk: true);

    public void Dispose()
    {
        _stream.Flush(flushToDisk: true);
        _stream.Dispose();
    }

    private uint StringId(byte table, string value)
    {
        var map = _strings[table];
        if (map.TryGetValue(value, out var id)) return id;
        id = (uint)map.Count;
        map.Add(value, id);

        var payload = Payload(1 + 1 + 5 + 5 + Encoding.UTF8.GetMaxByteCount(value.Length));
        var n = 0;
        payload[n++] = SegmentFormat.StringRecord;
        payload[n++] = table;
        n += SegmentFormat.WriteVarint(payload[n..], id);
        var bytes = Encoding.UTF8.GetBytes(value, payload[(n + 5)..]);
        var lengthBytes = SegmentFormat.WriteVarint(payload[n..], (uint)bytes);
        payload.Slice(n + 5, bytes).CopyTo(payload[(n + lengthBytes)..]);
        n += lengthBytes + bytes;
        WriteFrame(n);
        return id;
    }

    private Span<byte> Payload(int maxBytes)
    {
        var needed = SegmentFormat.FrameHeaderBytes + maxBytes;
        if (_scratch.Length < needed) _scratch = new byte[Math.Max(needed, _scratch.Length * 2)];
        return _scratch.AsSpan(SegmentFormat.FrameHeaderBytes);
    }

    private void WriteFrame(int payloadLength)
    {
        if (payloadLength > SegmentFormat.MaxPayloadBytes) throw new InvalidOperationException("A provenance record is larger than a segment frame allows.");
        var frame = _scratch.AsSpan(0, SegmentFormat.FrameHeaderBytes + payloadLength);
        SegmentFormat.WriteFrameHeader(frame, frame[SegmentFormat.FrameHeaderBytes..]);
        _stream.Write(frame);
        Length += frame.Length;
    }
}
