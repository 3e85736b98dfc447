namespace Moat.Redis;

/// <summary>
/// The limiter arithmetic of <c>InProcessRateLimiter</c> (per-minute token buckets refilled continuously plus a
/// UTC-day counter), run atomically inside Redis so every replica shares one exact budget.
/// </summary>
internal static class RedisTokenBucketScripts
{
    /// <summary>
    /// KEYS[1] org scope, KEYS[2] key scope (ignored unless ARGV[10] = 1).
    /// ARGV: now_ms, day, cost, org_rpm, org_tpm, org_tpd, key_rpm, key_tpm, key_tpd, has_key, mode (0 peek, 1 take, 2 charge a refusal), midnight_ms.
    /// Returns {rejection, retry_ms, org status(6), key status(6)}; rejection 0 none, 1 requests, 2 tokens, 3 day.
    /// </summary>
    public const string Acquire = """
        local now = tonumber(ARGV[1])
        local day = ARGV[2]
        local cost = tonumber(ARGV[3])
        local has_key = ARGV[10] == '1'
        local take = ARGV[11] == '1'
        local charge_refusal = ARGV[11] == '2'
        local midnight = tonumber(ARGV[12])

        local function load(k, rpm, tpm)
          local h = redis.call('HMGET', k, 'rl', 'rc', 'tl', 'tc', 'ts', 'day', 'du')
          local s = {}
          if not h[5] then
            s.rl = rpm; s.rc = rpm; s.tl = tpm; s.tc = tpm; s.ts = now; s.day = day; s.du = 0
            return s
          end
          s.rl = tonumber(h[1]); s.rc = tonumber(h[2]); s.tl = tonumber(h[3]); s.tc = tonumber(h[4])
          s.ts = tonumber(h[5]); s.day = h[6]; s.du = tonumber(h[7])
          if rpm ~= s.rc then s.rl = math.min(rpm, s.rl + math.max(0, rpm - s.rc)); s.rc = rpm end
          if tpm ~= s.tc then s.tl = math.min(tpm, s.tl + math.max(0, tpm - s.tc)); s.tc = tpm end
          local elapsed = now - s.ts
          if elapsed > 0 then
            if s.rc > 0 then s.rl = math.min(s.rc, s.rl + elapsed * s.rc / 60000) end
            if s.tc > 0 then s.tl = math.min(s.tc, s.tl + elapsed * s.tc / 60000) end
            s.ts = now
          end
          if s.day ~= day then s.day = day; s.du = 0 end
          return s
        end

        local function check(s, rpm, tpm, tpd)
          if rpm > 0 and s.rl + 1e-9 < 1 then return 1, math.ceil((1 - s.rl) * 60000 / rpm) end
          if tpm > 0 and s.tl + 1e-9 < cost then
            if cost > tpm then return 2, 60000 end
            return 2, math.ceil((cost - s.tl) * 60000 / tpm)
          end
          if tpd > 0 and s.du + cost > tpd then return 3, midnight - now end
          return 0, 0
        end

        local function consume(s, rpm, tpm)
          if rpm > 0 then s.rl = s.rl - 1 end
          if tpm > 0 then s.tl = s.tl - cost end
          s.du = s.du + cost
        end

        -- A refused attempt still costs a request (never more than one window of debt).
        local function charge(s, rpm)
          if rpm > 0 then s.rl = math.max(-rpm, s.rl - 1) end
        end

        local function save(k, s)
          redis.call('HSET', k, 'rl', s.rl, 'rc', s.rc, 'tl', s.tl, 'tc', s.tc, 'ts', s.ts, 'day', s.day, 'du', s.du)
          redis.call('PEXPIRE', k, 172800000)
        end

        local function status(s, rpm, tpm)
          local rr, rreset, tr, treset = 0, 0, 0, 0
          if rpm > 0 then
            rr = math.max(0, math.floor(s.rl + 1e-9))
            rreset = math.max(0, math.ceil((s.rc - s.rl) * 60000 / s.rc))
          end
          if tpm > 0 then
            tr = math.max(0, math.floor(s.tl + 1e-9))
            treset = math.max(0, math.ceil((s.tc - s.tl) * 60000 / s.tc))
          end
          return rpm, rr, rreset, tpm, tr, treset
        end

        local orpm, otpm, otpd = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
        local krpm, ktpm, ktpd = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
        local org = load(KEYS[1], orpm, otpm)
        local key = nil
        if has_key then key = load(KEYS[2], krpm, ktpm) end

        local rejection, retry = 0, 0
        if take then
          rejection, retry = check(org, orpm, otpm, otpd)
          if rejection == 0 and key then rejection, retry = check(key, krpm, ktpm, ktpd) end
          if rejection == 0 then
            consume(org, orpm, otpm)
            if key then consume(key, krpm, ktpm) end
          else
            charge(org, orpm)
            if key then charge(key, krpm) end
          end
        elseif charge_refusal then
          charge(org, orpm)
          if key then charge(key, krpm) end
        end
        save(KEYS[1], org)
        if key then save(KEYS[2], key) end

        local a1, a2, a3, a4, a5, a6 = status(org, orpm, otpm)
        local b1, b2, b3, b4, b5, b6 = 0, 0, 0, 0, 0, 0
        if key then b1, b2, b3, b4, b5, b6 = status(key, krpm, ktpm) end
        return { rejection, retry, a1, a2, a3, a4, a5, a6, b1, b2, b3, b4, b5, b6 }
        """;

    /// <summary>KEYS[1] org scope, KEYS[2] key scope (if ARGV[3] = 1). ARGV: refund (may be negative), lease day, has_key.</summary>
    public const string Settle = """
        local refund = tonumber(ARGV[1])
        local day = ARGV[2]
        local function adjust(k)
          local h = redis.call('HMGET', k, 'tl', 'tc', 'day', 'du')
          if not h[2] then return end
          local tl = math.min(tonumber(h[2]), tonumber(h[1]) + refund)
          redis.call('HSET', k, 'tl', tl)
          if h[3] == day then redis.call('HSET', k, 'du', math.max(0, tonumber(h[4]) - refund)) end
        end
        adjust(KEYS[1])
        if ARGV[3] == '1' then adjust(KEYS[2]) end
        return 1
        """;
}
