namespace Berth.ApiServer.Http.Protobuf;

/// <summary>
/// A protobuf body that is well-formed on the wire but does not fit the Kubernetes schema (wrong wire type for a field,
/// unknown kind, nesting too deep, an invalid embedded value). <see cref="ProtobufBodyDecoder"/> turns it into 400.
/// </summary>
internal sealed class ProtobufDecodeException(string message) : Exception(message);
