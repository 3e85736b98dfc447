using System.Buffers.Binary;
using System.Text;

namespace Moat.Provenance;

/// <summary>
/// The on-disk layout of a segment: an 8-byte magic, then frames of [u32 payload length][u32 CRC-32C of payload][payload].
/// A payload is either a string definition (org, key or model name, numbered per segment so a segment stands alone)
/// or an entry (string numbers, request id, served-at ticks, fingerprints). No served text is ever written.
/// </summary>
internal static class SegmentFormat
{
    public static ReadOnlySpan<byte> Magic => "MOATPRV1"u8;
    public const int FrameHeaderBytes = 8;
    public const int MaxPayloadBytes = 1 << 24;
    public const byte StringRecord = 1;
    public const byte EntryRecord = 2;
    public const byte OrgTable = 0;
    public const byte KeyTable = 1;
    public const byte ModelTable = 2;
    public const string FileExtension = ".seg";

    public static string FileName(long sequence) => sequence.ToString("D10", System.Globalization.CultureInfo.InvariantCulture) + FileExtension;

    public static bool TryParseSequence(string path, out long sequence) =>
        long.TryParse(Path.GetFileNameWithoutExtension(path), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out sequence);

    public static int WriteVarint(Span<byte> destination, uint value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    public static bool TryReadVarint(ReadOnlySpan<byte> source, ref int offset, out uint value)
    {
        value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if (offset >= source.Length) return false;
            var b = source[offset++];
            value |= (uint)(b & 0x7F) << shift;
            if (b < 0x80) return true;
        }

        return false;
    }

    public static int MaxEntryPayload(ServedText served, int fingerprintCount) =>
        1 + 3 * 5 + 5 + Encoding.UTF8.GetMaxByteCount(served.RequestId.Length) + 8 + 5 + 4 * fingerprintCount;

    public static void WriteFrameHeader(Span<byte> frame, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[4..], Crc32C.Compute(payload));
    }
}
