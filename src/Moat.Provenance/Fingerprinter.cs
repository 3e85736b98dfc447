using System.Buffers;

namespace Moat.Provenance;

/// <summary>How shingles are formed and sampled; both sides of a comparison must use the same settings.</summary>
internal sealed record FingerprintSettings(int ShingleSize, int SamplingModulus, bool SkipStopWords, int WinnowingWindow);

/// <summary>
/// Turns text into 32-bit fingerprints: hashes of shingles of consecutive content words of the normal form,
/// kept when the hash is 0 mod p (or chosen by winnowing), so that the same passage yields the same fingerprints
/// wherever it appears.
/// </summary>
internal sealed class Fingerprinter(FingerprintSettings settings)
{
    public FingerprintSettings Settings { get; } = settings;

    /// <summary>Distinct fingerprints, sorted: what the index stores per served output.</summary>
    public uint[] ForIndex(string text)
    {
        using var normal = NormalForm.Of(text);
        return ForIndex(normal.Span);
    }

    /// <summary>Distinct sorted fingerprints of a normal form (with names kept).</summary>
    public uint[] ForIndex(ReadOnlySpan<char> normal)
    {
        var sequence = ForQuery(normal);
        if (sequence.Length < 2) return sequence;
        Array.Sort(sequence);
        var distinct = 1;
        for (var i = 1; i < sequence.Length; i++)
        {
            if (sequence[i] != sequence[distinct - 1]) sequence[distinct++] = sequence[i];
        }

        return distinct == sequence.Length ? sequence : sequence[..distinct];
    }

    /// <summary>
    /// Distinct sorted fingerprints of an output, less those that also occur in its prompt: a shingle copied from the
    /// prompt (the passage being summarised or translated) is shared with every other answer to it, so it is no evidence.
    /// Sampling is by hash value, so the prompt's sampled shingles are exactly the ones an output copying it would keep.
    /// </summary>
    public uint[] ForIndex(ReadOnlySpan<char> normal, ReadOnlySpan<char> promptNormal)
    {
        var own = ForIndex(normal);
        if (promptNormal.IsEmpty || own.Length == 0) return own;
        var promptFingerprints = new HashSet<uint>(ForQuery(promptNormal));
        if (promptFingerprints.Count == 0) return own;
        var kept = 0;
        foreach (var fp in own)
        {
            if (!promptFingerprints.Contains(fp)) own[kept++] = fp;
        }

        return kept == own.Length ? own : own[..kept];
    }

    /// <summary>Fingerprints in text order, repeats kept: positions let search find which part of a passage matched.</summary>
    public uint[] ForQuery(string text)
    {
        using var normal = NormalForm.Of(text);
        return ForQuery(normal.Span);
    }

    /// <summary><see cref="ForQuery(string)"/> on a normal form already made (with names kept).</summary>
    public uint[] ForQuery(ReadOnlySpan<char> normal)
    {
        var hashes = ArrayPool<ulong>.Shared.Rent(Math.Max(16, normal.Length / 3));
        try
        {
            var count = ShingleHashes(normal, ref hashes);
            return Settings.WinnowingWindow > 0 ? Winnow(hashes.AsSpan(0, count)) : Sample(hashes.AsSpan(0, count));
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(hashes);
        }
    }

    /// <summary>
    /// Shingles two views of the content words at once: with names (so a name list or a lower-cased copy still matches)
    /// and without them (so a copy whose names were swapped or redacted still matches). Where a text has no names the two
    /// views agree and each shingle is emitted once.
    /// </summary>
    private int ShingleHashes(ReadOnlySpan<char> normal, ref ulong[] hashes)
    {
        var k = Settings.ShingleSize;
        Span<ulong> withNames = stackalloc ulong[k];
        Span<ulong> withoutNames = stackalloc ulong[k];
        var seenWith = 0;
        var seenWithout = 0;
        var count = 0;
        foreach (var range in normal.Split(' '))
        {
            var token = normal[range];
            // Placeholders stand where PII was; skipping them makes "[REDACTED]", another number and no number equivalent.
            if (token.IsEmpty || token[0] == '<') continue;
            var isName = token[0] == TextNormalizer.NameMark;
            if (isName) token = token[1..];
            var hash = TokenHash.Of(token);
            if (!isName && Settings.SkipStopWords && (token.Length == 1 || StopWords.ContainsHash(hash))) continue;

            withNames[seenWith++ % k] = hash;
            var shingleWith = seenWith >= k ? Shingle(withNames, seenWith) : 0;
            if (seenWith >= k) Append(ref hashes, ref count, shingleWith);
            if (isName) continue;

            withoutNames[seenWithout++ % k] = hash;
            if (seenWithout >= k)
            {
                var shingleWithout = Shingle(withoutNames, seenWithout);
                if (shingleWithout != shingleWith) Append(ref hashes, ref count, shingleWithout);
            }
        }

        // A passage shorter than one shingle still gets its content words hashed together.
        if (count == 0 && seenWith > 0) Append(ref hashes, ref count, Shingle(withNames[..seenWith], seenWith));
        return count;
    }

    private static ulong Shingle(ReadOnlySpan<ulong> window, int seen)
    {
        var k = window.Length;
        var shingle = 0x2545F4914F6CDD1DUL;
        // Oldest word first: the slot after the newest one.
        for (var j = 0; j < k; j++) shingle = Mix(shingle ^ window[(seen + j) % k]);
        return Finish(shingle);
    }

    private static void Append(ref ulong[] hashes, ref int count, ulong hash)
    {
        if (count == hashes.Length)
        {
            var bigger = ArrayPool<ulong>.Shared.Rent(hashes.Length * 2);
            hashes.AsSpan().CopyTo(bigger);
            ArrayPool<ulong>.Shared.Return(hashes);
            hashes = bigger;
        }

        hashes[count++] = hash;
    }

    private uint[] Sample(ReadOnlySpan<ulong> hashes)
    {
        var p = (ulong)Settings.SamplingModulus;
        var kept = 0;
        foreach (var h in hashes)
        {
            if (h % p == 0) kept++;
        }

        var result = new uint[kept];
        var i = 0;
        foreach (var h in hashes)
        {
            if (h % p == 0) result[i++] = (uint)(h >> 32);
        }

        return result;
    }

    /// <summary>Winnowing (Schleimer et al. 2003): the minimum hash of every window of w shingles, each position once.</summary>
    private uint[] Winnow(ReadOnlySpan<ulong> hashes)
    {
        var w = Settings.WinnowingWindow;
        if (hashes.Length == 0) return [];
        if (hashes.Length <= w) w = hashes.Length;
        var result = new List<uint>(hashes.Length * 2 / (w + 1) + 1);
        var lastPicked = -1;
        for (var start = 0; start + w <= hashes.Length; start++)
        {
            var min = start;
            for (var j = start + 1; j < start + w; j++)
            {
                if (hashes[j] <= hashes[min]) min = j;
            }

            if (min == lastPicked) continue;
            lastPicked = min;
            result.Add((uint)(hashes[min] >> 32));
        }

        return [.. result];
    }

    private static ulong Mix(ulong h)
    {
        h *= 0xff51afd7ed558ccdUL;
        return h ^ (h >> 33);
    }

    private static ulong Finish(ulong h)
    {
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53UL;
        return h ^ (h >> 33);
    }
}
