namespace Calico.Validation;

/// <summary>
/// The `wireguardPublicKey` validator: wgtypes.ParseKey accepts standard padded base64 that decodes to
/// exactly 32 bytes (validator.go:352-357; golang.zx2c4.com/wireguard/wgctrl wgtypes.ParseKey).
/// </summary>
internal static class WireguardKeyRule
{
    private const int EncodedLength = 44; // 32 bytes: 43 base64 characters and one '='

    public static bool IsValidKey(string text)
    {
        // Go's base64 decoder skips '\r' and '\n' wherever they appear, and (not being strict) does not
        // insist that the unused low bits of the last character are zero.
        var count = 0;
        foreach (var c in text)
        {
            if (c is '\r' or '\n') continue;
            count++;
            if (count < EncodedLength)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/')) return false;
            }
            else if (count > EncodedLength || c != '=')
            {
                return false;
            }
        }
        return count == EncodedLength;
    }
}
