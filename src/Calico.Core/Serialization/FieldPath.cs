namespace Calico.Serialization;

/// <summary>
/// Where a value sits in a document, such as spec.allowedUses[1] or metadata.labels["app"]: a parent path and one
/// more step. The text is joined only when it is asked for, which is when an error is reported, so decoding a
/// valid document builds no paths at all.
/// </summary>
public readonly struct FieldPath
{
    private enum Step : byte { None, Field, Index, Key }

    private readonly string _parent;
    private readonly string? _name;
    private readonly int _index;
    private readonly Step _step;

    private FieldPath(string parent, Step step, string? name, int index)
    {
        _parent = parent;
        _step = step;
        _name = name;
        _index = index;
    }

    /// <summary>The path of the document itself.</summary>
    public static FieldPath Root => "";

    /// <summary>A field of the value at this path: spec.cidr.</summary>
    public FieldPath Field(string name) => new(ToString(), Step.Field, name, 0);

    /// <summary>An item of the list at this path: spec.allowedUses[1].</summary>
    public FieldPath Item(int index) => new(ToString(), Step.Index, null, index);

    /// <summary>An entry of the map at this path, whose keys may hold dots or slashes: metadata.labels["app"].</summary>
    public FieldPath Key(string key) => new(ToString(), Step.Key, key, 0);

    public static implicit operator FieldPath(string path) => new(path ?? "", Step.None, null, 0);

    public static implicit operator string(FieldPath path) => path.ToString();

    public override string ToString() => _step switch
    {
        Step.Field => DecodeContext.Join(_parent, _name!),
        Step.Index => $"{_parent}[{_index}]",
        Step.Key => $"{_parent}[{FieldError.Quote(_name!)}]",
        _ => _parent ?? "",
    };
}
