using System.Buffers.Binary;
using System.Text;

namespace Moat.Provenance;

/// <summary>
/// The on-disk layout of a segment: an 8-byte magic, then frames of [u32 payload length][u32 CRC-32C of payload][payload].
/// A payload is either a string definition (org, key or model name, numbered per segment so a segment stands alone)
/// or an entry (string numbers, request id, served-at ticks, content-word codes). No served text is ever written.
/// <para>
/// Version 3 ("MOATPRV3") stores per entry both signals: the ordered content-word codes of v2, then a varint count and
/// the sorted, distinct 32-bit word 3-gram shingle fingerprints of v1 (sampled 0 mod 2, prompt shingles left out).
/// Version 2 segments are still loaded and searched (alignment signal only; their shingles cannot be rebuilt without the
/// text) until they expire. Version 2 ("MOATPRV2") stores per entry the ordered 16-bit codes of its content words (14-bit hash + name and prompt
/// flags, see <see cref="WordSequencer"/>); the retrieval keys are derived from them on load. Version 1 ("MOATPRV1") stored
/// unordered 32-bit shingle fingerprints, which cannot be verified by alignment: v1 segments are read only to learn their
/// newest served-at time, are not searched, and are deleted once that time is past retention.
/// </para>
/// </summary>
internal static class SegmentFormat
{
    public static ReadOnlySpan<byte> Magic => "MOATPRV3"u8;
    public static ReadOnlySpan<byte> MagicV2 => "MOATPRV2"u8;
    public static ReadOnlySpan<byte> MagicV1 => "MOATPRV1"u8;
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

    public static int MaxEntryPayload(ServedText served, int codeCount, int fingerprintCount) =>
        1 + 3 * 5 + 5 + Encoding.UTF8.GetMaxByteCount(served.RequestId.Length) + 8 + 5 + 2 * codeCount + 5 + 4 * fingerprintCount;

    public static void WriteFrameHeader(Span<byte> frame, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[4..], Crc32C.Compute(payload));
    }
}
