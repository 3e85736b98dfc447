using System.Text;

namespace Moat.Provenance;

/// <summary>
/// Metadata of indexed entries by id: org, key and model as numbers into interned string lists, request ids as UTF-8
/// in one byte pool, and a bitmap of entries dropped by retention.
/// </summary>
internal sealed class EntryTable
{
    private readonly StringPool _orgs = new();
    private readonly StringPool _keys = new();
    private readonly StringPool _models = new();
    private EntryRow[] _rows = new EntryRow[1024];
    private byte[] _requestBytes = new byte[16 * 1024];
    private int _requestLength;
    private ulong[] _dropped = new ulong[16];
    private readonly AppendArena<ushort> _codes = new();
    private readonly AppendArena<uint> _fingerprints = new();

    public int Count { get; private set; }

    public int Live { get; private set; }

    public long ArrayBytes => (long)_rows.Length * EntryRow.Bytes + _requestBytes.Length + _dropped.Length * 8L + _codes.Bytes + _fingerprints.Bytes;

    /// <summary>Stored content-word codes of all entries.</summary>
    public long CodeCount => _codes.Count;

    public int Add(string orgId, string keyId, string model, ReadOnlySpan<byte> requestIdUtf8, long servedAtTicks, ReadOnlySpan<ushort> codes, ReadOnlySpan<uint> fingerprints)
    {
        var fingerprintOffset = _fingerprints.Append(fingerprints);
        var codeOffset = _codes.Append(codes);
        if (Count == _rows.Length) Array.Resize(ref _rows, _rows.Length * 2);
        if (_requestLength + requestIdUtf8.Length > _requestBytes.Length)
        {
            Array.Resize(ref _requestBytes, Math.Max(_requestBytes.Length * 2, _requestLength + requestIdUtf8.Length));
        }

        requestIdUtf8.CopyTo(_requestBytes.AsSpan(_requestLength));
        _rows[Count] = new EntryRow(_orgs.Intern(orgId), _keys.Intern(keyId), _models.Intern(model), _requestLength, requestIdUtf8.Length, servedAtTicks, codeOffset, codes.Length, fingerprintOffset, fingerprints.Length);
        _requestLength += requestIdUtf8.Length;
        if ((Count >> 6) >= _dropped.Length) Array.Resize(ref _dropped, _dropped.Length * 2);
        Live++;
        return Count++;
    }

    public int Add(ServedText served, Span<byte> scratch, ReadOnlySpan<ushort> codes, ReadOnlySpan<uint> fingerprints)
    {
        var length = Encoding.UTF8.GetBytes(served.RequestId, scratch);
        return Add(served.OrgId, served.KeyId, served.Model, scratch[..length], served.ServedAt.UtcTicks, codes, fingerprints);
    }

    /// <summary>The entry's content-word codes, in text order.</summary>
    public ReadOnlySpan<ushort> CodesOf(int id)
    {
        ref readonly var row = ref _rows[id];
        return _codes.Get(row.CodeOffset, row.CodeLength);
    }

    /// <summary>The entry's shingle fingerprints (sorted, distinct; empty for entries loaded from v2 segments).</summary>
    public ReadOnlySpan<uint> FingerprintsOf(int id)
    {
        ref readonly var row = ref _rows[id];
        return _fingerprints.Get(row.FingerprintOffset, row.FingerprintLength);
    }

    public long ServedAtTicks(int id) => _rows[id].ServedAtTicks;

    public bool IsDropped(int id) => (_dropped[id >> 6] & (1UL << (id & 63))) != 0;

    /// <summary>Marks ids [first, end) as gone, e.g. because their segment expired.</summary>
    public void Drop(int first, int end)
    {
        for (var id = first; id < end; id++)
        {
            if (IsDropped(id)) continue;
            _dropped[id >> 6] |= 1UL << (id & 63);
            Live--;
        }
    }

    public ProvenanceMatch ToMatch(int id, double score, double matchedFraction)
    {
        ref readonly var row = ref _rows[id];
        return new ProvenanceMatch(
            _orgs[row.Org],
            _keys[row.Key],
            Encoding.UTF8.GetString(_requestBytes, row.RequestOffset, row.RequestLength),
            _models[row.Model],
            new DateTimeOffset(row.ServedAtTicks, TimeSpan.Zero),
            score,
            matchedFraction);
    }

    private readonly record struct EntryRow(int Org, int Key, int Model, int RequestOffset, int RequestLength, long ServedAtTicks, int CodeOffset, int CodeLength, int FingerprintOffset, int FingerprintLength)
    {
        public const int Bytes = 44;
    }

    /// <summary>Each distinct org, key or model name is held once.</summary>
    private sealed class StringPool
    {
        private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
        private readonly List<string> _values = [];

        public string this[int id] => _values[id];

        public int Intern(string value)
        {
            if (_ids.TryGetValue(value, out var id)) return id;
            id = _values.Count;
            _ids.Add(value, id);
            _values.Add(value);
            return id;
        }
    }
}
