namespace Kefu.Service.Dialogue;

/// <summary>Receives a reply's text as it is produced (model tokens as they stream, or a whole templated reply).</summary>
public delegate ValueTask TextSink(string text, CancellationToken cancellationToken);
