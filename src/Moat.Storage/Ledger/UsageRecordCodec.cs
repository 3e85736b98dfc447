using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using Moat.Core.Ledger;

namespace Moat.Storage;

/// <summary>
/// The write-ahead log's frame: <c>[payload length: int32 LE][CRC-32 of payload: uint32 LE][payload]</c>, the payload a
/// version byte and the record's fields in a fixed order. The CRC lets the log tell a complete frame from one torn by
/// a crash mid-write.
/// </summary>
internal static class UsageRecordCodec
{
    public const int HeaderSize = 8;

    /// <summary>Frames larger than this are treated as corruption (a record is a few hundred bytes).</summary>
    public const int MaxPayloadSize = 1 << 20;

    private const byte Version = 1;

    /// <summary>Appends one framed record to <paramref name="output"/>.</summary>
    public static void WriteFrame(ArrayBufferWriter<byte> output, UsageRecord record)
    {
        output.GetSpan(HeaderSize)[..HeaderSize].Clear();
        output.Advance(HeaderSize);
        var start = output.WrittenCount;

        WriteByte(output, Version);
        WriteString(output, record.RequestId);
        WriteString(output, record.OrgId);
        WriteString(output, record.KeyId);
        WriteString(output, record.Endpoint);
        WriteString(output, record.Model);
        WriteByte(output, record.Stream ? (byte)1 : (byte)0);
        WriteInt64(output, record.PromptTokens);
        WriteInt64(output, record.CompletionTokens);
        WriteInt32(output, record.Status);
        WriteString(output, record.ErrorCode);
        WriteString(output, record.Upstream);
        WriteInt64(output, BitConverter.DoubleToInt64Bits(record.LatencyMs));
        WriteInt64(output, record.Timestamp.UtcTicks);
        WriteString(output, record.ClientIp);
        WriteString(output, record.UserAgent);
        WriteString(output, record.UsageSource);
        WriteInt32(output, record.Attempts);

        // The buffer may have grown (moved) while the payload was written, so the header is found again by position.
        var written = MemoryMarshal.AsMemory(output.WrittenMemory).Span;
        var payload = written[start..];
        BinaryPrimitives.WriteInt32LittleEndian(written[(start - HeaderSize)..], payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(written[(start - HeaderSize + 4)..], Crc32.HashToUInt32(payload));
    }

    /// <summary>
    /// Reads the frame at the start of <paramref name="data"/>. Returns its total size, 0 when the data ends inside the
    /// frame (torn or not yet written), or -1 when the frame is corrupt.
    /// </summary>
    public static int TryReadFrame(ReadOnlySpan<byte> data, out UsageRecord? record)
    {
        record = null;
        if (data.Length < HeaderSize)
        {
            return 0;
        }
        var length = BinaryPrimitives.ReadInt32LittleEndian(data);
        if (length <= 0 || length > MaxPayloadSize)
        {
            return -1;
        }
        if (data.Length < HeaderSize + length)
        {
            return 0;
        }
        var payload = data.Slice(HeaderSize, length);
        if (Crc32.HashToUInt32(payload) != BinaryPrimitives.ReadUInt32LittleEndian(data[4..]))
        {
            return -1;
        }
        try
        {
            record = Decode(payload);
        }
        catch (Exception exception) when (exception is ArgumentOutOfRangeException or IndexOutOfRangeException or InvalidDataException)
        {
            return -1;
        }
        return HeaderSize + length;
    }

    private static UsageRecord Decode(ReadOnlySpan<byte> payload)
    {
        var reader = new SpanReader(payload);
        if (reader.ReadByte() != Version)
        {
            throw new InvalidDataException("Unknown ledger frame version.");
        }
        return new UsageRecord
        {
            RequestId = reader.ReadString() ?? "",
            OrgId = reader.ReadString() ?? "",
            KeyId = reader.ReadString() ?? "",
            Endpoint = reader.ReadString() ?? "",
            Model = reader.ReadString(),
            Stream = reader.ReadByte() != 0,
            PromptTokens = reader.ReadInt64(),
            CompletionTokens = reader.ReadInt64(),
            Status = reader.ReadInt32(),
            ErrorCode = reader.ReadString(),
            Upstream = reader.ReadString(),
            LatencyMs = BitConverter.Int64BitsToDouble(reader.ReadInt64()),
            Timestamp = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero),
            ClientIp = reader.ReadString(),
            UserAgent = reader.ReadString(),
            UsageSource = reader.ReadString(),
            Attempts = reader.ReadInt32(),
        };
    }

    private static void WriteByte(ArrayBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private static void WriteInt32(ArrayBufferWriter<byte> output, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    private static void WriteInt64(ArrayBufferWriter<byte> output, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    /// <summary>Length (-1 for null) then UTF-8 bytes.</summary>
    private static void WriteString(ArrayBufferWriter<byte> output, string? value)
    {
        if (value is null)
        {
            WriteInt32(output, -1);
            return;
        }
        var span = output.GetSpan(4 + Encoding.UTF8.GetMaxByteCount(value.Length));
        var written = Encoding.UTF8.GetBytes(value, span[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(span, written);
        output.Advance(4 + written);
    }

    private ref struct SpanReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public byte ReadByte() => _data[_position++];

        public int ReadInt32()
        {
            var value = BinaryPrimitives.ReadInt32LittleEndian(_data.Slice(_position, 4));
            _position += 4;
            return value;
        }

        public long ReadInt64()
        {
            var value = BinaryPrimitives.ReadInt64LittleEndian(_data.Slice(_position, 8));
            _position += 8;
            return value;
        }

        public string? ReadString()
        {
            var length = ReadInt32();
            if (length == -1)
            {
                return null;
            }
            var value = Encoding.UTF8.GetString(_data.Slice(_position, length));
            _position += length;
            return value;
        }
    }
}
