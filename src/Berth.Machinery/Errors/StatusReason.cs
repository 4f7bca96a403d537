namespace Berth.Machinery.Errors;

/// <summary>Status reasons exactly as apimachinery spells them (k8s.io/apimachinery/pkg/apis/meta/v1/types.go).</summary>
public static class StatusReason
{
    public const string NotFound = "NotFound";
    public const string AlreadyExists = "AlreadyExists";
    public const string Conflict = "Conflict";
    public const string Invalid = "Invalid";
    public const string BadRequest = "BadRequest";
    public const string Expired = "Expired";
    public const string Gone = "Gone";
    public const string Unauthorized = "Unauthorized";
    public const string Forbidden = "Forbidden";
    public const string MethodNotAllowed = "MethodNotAllowed";
    public const string NotAcceptable = "NotAcceptable";
    public const string UnsupportedMediaType = "UnsupportedMediaType";
    public const string RequestEntityTooLarge = "RequestEntityTooLarge";
    public const string TooManyRequests = "TooManyRequests";
    public const string InternalError = "InternalError";
    public const string Timeout = "Timeout";
    public const string ServiceUnavailable = "ServiceUnavailable";
}

/// <summary>Cause types for 422 Invalid, as in k8s.io/apimachinery/pkg/util/validation/field/errors.go.</summary>
public static class CauseType
{
    public const string FieldValueRequired = "FieldValueRequired";
    public const string FieldValueInvalid = "FieldValueInvalid";
    public const string FieldValueDuplicate = "FieldValueDuplicate";
    public const string FieldValueNotSupported = "FieldValueNotSupported";
    public const string FieldValueForbidden = "FieldValueForbidden";
    public const string FieldValueTooLong = "FieldValueTooLong";
    public const string FieldValueTypeInvalid = "FieldValueTypeInvalid";
    public const string FieldValueNotFound = "FieldValueNotFound";
    public const string FieldManagerConflict = "FieldManagerConflict";
    public const string UnexpectedServerResponse = "UnexpectedServerResponse";
}
