using Calico.Serialization;

namespace Calico.Selectors;

/// <summary>The token kinds of libcalico-go's selector tokenizer (lib/selector/tokenizer/tokenizer.go:29-52).</summary>
internal enum SelectorTokenKind
{
    None,
    Label,
    StringLiteral,
    LBrace,
    RBrace,
    Comma,
    Eq,
    Ne,
    In,
    Not,
    NotIn,
    Contains,
    StartsWith,
    EndsWith,
    All,
    Has,
    LParen,
    RParen,
    And,
    Or,
    Global,
    EndOfSelector,
}

/// <summary>
/// One token. Value is the label name (Label, Has) or the unquoted text (StringLiteral), as Calico's Token.Value;
/// Position is the index in the selector text where the token starts, which Calico does not keep but our errors show.
/// </summary>
internal readonly record struct SelectorToken(SelectorTokenKind Kind, string? Value, int Position)
{
    /// <summary>How an error message names this token to a person.</summary>
    public string Describe() => Kind switch
    {
        SelectorTokenKind.Label => "label " + FieldError.Quote(Value!),
        SelectorTokenKind.StringLiteral => "string " + FieldError.Quote(Value!),
        SelectorTokenKind.Has => "'has(" + Value + ")'",
        SelectorTokenKind.EndOfSelector => "end of selector",
        _ => "'" + Symbol(Kind) + "'",
    };

    /// <summary>The canonical spelling of a fixed token, as Calico's String() writes it.</summary>
    public static string Symbol(SelectorTokenKind kind) => kind switch
    {
        SelectorTokenKind.LBrace => "{",
        SelectorTokenKind.RBrace => "}",
        SelectorTokenKind.Comma => ",",
        SelectorTokenKind.Eq => "==",
        SelectorTokenKind.Ne => "!=",
        SelectorTokenKind.In => "in",
        SelectorTokenKind.Not => "!",
        SelectorTokenKind.NotIn => "not in",
        SelectorTokenKind.Contains => "contains",
        SelectorTokenKind.StartsWith => "starts with",
        SelectorTokenKind.EndsWith => "ends with",
        SelectorTokenKind.All => "all()",
        SelectorTokenKind.LParen => "(",
        SelectorTokenKind.RParen => ")",
        SelectorTokenKind.And => "&&",
        SelectorTokenKind.Or => "||",
        SelectorTokenKind.Global => "global()",
        _ => kind.ToString(),
    };
}

/// <summary>What is wrong with a selector and the index in its text where the problem was found.</summary>
internal readonly record struct SelectorSyntaxError(string Reason, int Position);
