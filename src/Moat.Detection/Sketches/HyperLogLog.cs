using System.Numerics;

namespace Moat.Detection.Sketches;

/// <summary>Distinct-count estimate in 2^precision bytes (precision 8: 256 bytes, about 6.5% standard error).</summary>
public sealed class HyperLogLog
{
    private readonly byte[] _registers;
    private readonly int _precision;

    public HyperLogLog(int precision = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(precision, 4);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(precision, 16);
        _precision = precision;
        _registers = new byte[1 << precision];
    }

    /// <summary>Adds an already well-mixed 64-bit hash.</summary>
    public void Add(ulong hash)
    {
        var index = (int)(hash >> (64 - _precision));
        var rest = (hash << _precision) | (1UL << (_precision - 1));
        var rank = (byte)(BitOperations.LeadingZeroCount(rest) + 1);
        if (rank > _registers[index])
        {
            _registers[index] = rank;
        }
    }

    public double Estimate()
    {
        var m = _registers.Length;
        double sum = 0;
        var zeros = 0;
        foreach (var r in _registers)
        {
            sum += Math.Pow(2, -r);
            if (r == 0)
            {
                zeros++;
            }
        }
        var alpha = m switch
        {
            16 => 0.673,
            32 => 0.697,
            64 => 0.709,
            _ => 0.7213 / (1 + 1.079 / m),
        };
        var estimate = alpha * m * m / sum;
        // Linear counting is far more accurate while many registers are still empty.
        if (estimate <= 2.5 * m && zeros > 0)
        {
            return m * Math.Log((double)m / zeros);
        }
        return estimate;
    }

    /// <summary>Register-wise maximum: the sketch of the union of both streams.</summary>
    public void MergeFrom(HyperLogLog other)
    {
        if (other._precision != _precision)
        {
            throw new ArgumentException("Precisions differ.", nameof(other));
        }
        for (var i = 0; i < _registers.Length; i++)
        {
            _registers[i] = Math.Max(_registers[i], other._registers[i]);
        }
    }

    /// <summary>The registers, for a checkpoint.</summary>
    public string Export() => Convert.ToBase64String(_registers);

    /// <summary>Restores registers written by <see cref="Export"/>; a sketch of another size is ignored.</summary>
    public void Import(string registers)
    {
        var bytes = Convert.FromBase64String(registers);
        if (bytes.Length == _registers.Length)
        {
            bytes.CopyTo(_registers, 0);
        }
    }
}
