import {
  APICallError,
  InvalidArgumentError,
  InvalidPromptError,
  InvalidResponseDataError,
  JSONParseError,
  NoOutputGeneratedError,
  TypeValidationError,
  UnsupportedFunctionalityError,
} from "ai";
import { errorFromStatus, errorFromThrown, invalidAnswerError, localRequestError, scrubSecrets } from "@/lib/providers/errors";
import { ProviderError } from "@/lib/providers/types";

/**
 * AI SDK errors → ProviderError through the same status classification as the fast path
 * (the SDK's own `isRetryable` is ignored so every provider answers alike). An APICallError
 * without a status is a transport failure; its `cause` carries the socket error.
 */
export function fromAiSdkError(err: unknown, apiKey: string | null): ProviderError {
  if (err instanceof ProviderError) return err;
  if (APICallError.isInstance(err)) {
    const status = err.statusCode;
    if (status !== undefined && (status < 200 || status >= 300)) {
      return errorFromStatus(status, err.responseBody ?? err.message, { headers: err.responseHeaders, apiKey, fallbackMessage: err.message });
    }
    // No status, or a 2xx whose body broke ("Failed to process successful response"): what
    // went wrong is the cause — a dropped socket, or JSON that did not parse.
    if (err.cause !== undefined && err.cause !== err) return fromAiSdkError(err.cause, apiKey);
    return invalidAnswerError(scrubSecrets(err.message, apiKey).slice(0, 500), { status: status ?? null, cause: err });
  }
  // The SDK refused to build the call from our request: nothing reached the provider.
  if (InvalidPromptError.isInstance(err) || UnsupportedFunctionalityError.isInstance(err) || InvalidArgumentError.isInstance(err)) {
    return localRequestError(scrubSecrets(err.message, apiKey), err);
  }
  if (
    JSONParseError.isInstance(err) ||
    TypeValidationError.isInstance(err) ||
    InvalidResponseDataError.isInstance(err) ||
    NoOutputGeneratedError.isInstance(err)
  ) {
    // A garbled answer is usually a proxy or a transient upstream fault: worth another try.
    return invalidAnswerError(scrubSecrets(err.message, apiKey).slice(0, 500), { status: null, cause: err });
  }
  return errorFromThrown(err, apiKey);
}
