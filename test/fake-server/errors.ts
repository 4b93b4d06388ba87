// Error answers of the fake server, shaped like Ark's: `{"error":{code,message,param,type}}`,
// with a request id at the end of the message as Ark does.

/** An HTTP error the server is about to send. */
export interface ErrorAnswer {
  status: number;
  body: object;
  headers?: Record<string, string>;
}

const DEFAULTS: Record<number, { code: string; type: string; message: string }> = {
  400: { code: 'InvalidParameter', type: 'BadRequest', message: 'The request is invalid.' },
  401: { code: 'AuthenticationError', type: 'unauthorized', message: 'The API key is missing or invalid.' },
  402: { code: 'InsufficientBalance', type: 'PaymentRequired', message: 'Your balance is exhausted.' },
  403: { code: 'AccountOverdueError', type: 'Forbidden', message: 'Your account has an overdue balance.' },
  404: { code: 'NotFound', type: 'NotFound', message: 'The requested resource does not exist.' },
  429: { code: 'RateLimitExceeded.EndpointRPMExceeded', type: 'TooManyRequests', message: 'Too many requests.' },
  451: { code: 'OutputTextSensitiveContentDetected', type: 'BadRequest', message: 'The output may contain sensitive content.' },
  500: { code: 'InternalServiceError', type: 'InternalServerError', message: 'The service encountered an unexpected internal error.' },
  502: { code: 'BadGateway', type: 'BadGateway', message: 'Upstream failure.' },
  503: { code: 'ServiceUnavailable', type: 'ServiceUnavailable', message: 'The service is overloaded.' },
};

/** Builds an error answer; code, type and message default to what Ark sends for the status. */
export function errorAnswer(
  status: number,
  requestId: string,
  fields: { code?: string; message?: string; param?: string | null; type?: string } = {},
): ErrorAnswer {
  const d = DEFAULTS[status] ?? { code: 'Error', type: 'Error', message: `HTTP ${status}.` };
  return {
    status,
    body: {
      error: {
        code: fields.code ?? d.code,
        message: `${fields.message ?? d.message} Request id: ${requestId}`,
        param: fields.param ?? null,
        type: fields.type ?? d.type,
      },
    },
  };
}
