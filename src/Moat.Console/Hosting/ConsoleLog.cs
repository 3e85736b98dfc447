using Microsoft.Extensions.Logging;

namespace Moat.WebConsole.Hosting;

/// <summary>Log messages of the console. Never the presented token.</summary>
internal static partial class ConsoleLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Console sign-in by {Actor} from {ClientIp}")]
    public static partial void SignedIn(ILogger logger, string actor, string? clientIp);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Rejected console sign-in from {ClientIp}: {Why}")]
    public static partial void SignInRejected(ILogger logger, string? clientIp, string why);
}
