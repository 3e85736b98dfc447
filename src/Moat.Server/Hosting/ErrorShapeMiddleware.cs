using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moat.Admin.Api;
using Moat.Core.Errors;
using Moat.Gateway.Errors;

namespace Moat.Server.Hosting;

/// <summary>
/// Makes failures outside the model API answer in the OpenAI error shape, without a stack trace: a request whose body
/// cannot be read is the client's fault (400, or 413 past the limit) and is logged as such, never at error level;
/// anything else unhandled is a 500 <c>internal_error</c>.
/// </summary>
public static partial class ErrorShapeMiddleware
{
    public static WebApplication UseMoatErrorShape(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler(error => error.Run(context =>
        {
            var failure = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            var shaped = failure is BadHttpRequestException bad ? RequestBodyErrors.From(bad, BodyLimit(context)) : OpenAiError.Internal();
            return OpenAiErrorWriter.WriteAsync(context, shaped);
        }));

        // Inside the exception handler, so an unreadable body never reaches it (it would log the stack trace at error level).
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ErrorShapeMiddleware).FullName!);
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (BadHttpRequestException unreadable) when (!context.Response.HasStarted)
            {
                LogUnreadableRequest(logger, context.Request.Method, context.Request.Path.Value ?? "", unreadable.StatusCode, unreadable.Message);
                await OpenAiErrorWriter.WriteAsync(context, RequestBodyErrors.From(unreadable, BodyLimit(context))).ConfigureAwait(false);
            }
            catch (IOException gone) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client went away mid-body: there is no one to answer.
                LogClientGone(logger, context.Request.Method, context.Request.Path.Value ?? "", gone.Message);
            }
            catch (IOException unreadable) when (!context.Response.HasStarted && RequestBodyErrors.IsRequestBodyFailure(unreadable))
            {
                // Kestrel's answer to some malformed framing (a chunk size that overflows) is a bare IOException.
                LogUnreadableRequest(logger, context.Request.Method, context.Request.Path.Value ?? "", StatusCodes.Status400BadRequest, unreadable.Message);
                await OpenAiErrorWriter.WriteAsync(context, RequestBodyErrors.Unreadable(unreadable)).ConfigureAwait(false);
            }
        });
        return app;
    }

    private static long? BodyLimit(HttpContext context) => context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Refused {Method} {Path}: the request could not be read ({Status}: {Reason})")]
    private static partial void LogUnreadableRequest(ILogger logger, string method, string path, int status, string reason);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Debug, Message = "{Method} {Path}: the client closed the connection while sending the body ({Reason})")]
    private static partial void LogClientGone(ILogger logger, string method, string path, string reason);
}
