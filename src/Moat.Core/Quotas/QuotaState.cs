namespace Moat.Core.Quotas;

/// <summary>The buckets of one scope (an organisation or a key). Guarded by its own monitor.</summary>
internal sealed class QuotaState
{
    public TokenBucket Requests;
    public TokenBucket Tokens;
    public DateOnly Day;
    public long DayUsed;

    public void RollDay(DateOnly today)
    {
        if (today != Day)
        {
            Day = today;
            DayUsed = 0;
        }
    }
}
