using System.Text;

namespace Calico.Manifests;

/// <summary>
/// The order go-yaml v2 writes map keys in (sorter.go keyList.Less): not byte order but a "natural" one, where
/// a non-letter sorts before a letter and runs of digits compare by value, so "a9" comes before "a10".
/// </summary>
internal static class YamlKeyOrder
{
    /// <summary>Sorts as Go's sort.Sort does for the small maps it sees: an insertion sort, so ties land the same way.</summary>
    public static void Sort<T>(List<T> items, Func<T, string> key)
    {
        var runes = items.Select(i => Runes(key(i))).ToList();
        for (var i = 1; i < items.Count; i++)
        {
            for (var j = i; j > 0 && Less(runes[j], runes[j - 1]); j--)
            {
                (items[j], items[j - 1]) = (items[j - 1], items[j]);
                (runes[j], runes[j - 1]) = (runes[j - 1], runes[j]);
            }
        }
    }

    private static Rune[] Runes(string s) => s.EnumerateRunes().ToArray();

    public static bool Less(string a, string b) => Less(Runes(a), Runes(b));

    private static bool Less(Rune[] ar, Rune[] br)
    {
        for (var i = 0; i < ar.Length && i < br.Length; i++)
        {
            if (ar[i] == br[i]) continue;
            var al = Rune.IsLetter(ar[i]);
            var bl = Rune.IsLetter(br[i]);
            if (al && bl) return ar[i].Value < br[i].Value;
            if (al || bl) return bl;
            long an = 0, bn = 0;
            if (ar[i].Value == '0' || br[i].Value == '0')
            {
                // A zero inside a number ("10" vs "1a") is not a leading zero: count it as part of that number.
                for (var j = i - 1; j >= 0 && Rune.IsDigit(ar[j]); j--)
                {
                    if (ar[j].Value != '0')
                    {
                        an = 1;
                        bn = 1;
                        break;
                    }
                }
            }
            int ai, bi;
            for (ai = i; ai < ar.Length && Rune.IsDigit(ar[ai]); ai++) an = an * 10 + (ar[ai].Value - '0');
            for (bi = i; bi < br.Length && Rune.IsDigit(br[bi]); bi++) bn = bn * 10 + (br[bi].Value - '0');
            if (an != bn) return an < bn;
            if (ai != bi) return ai < bi;
            return ar[i].Value < br[i].Value;
        }
        return ar.Length < br.Length;
    }
}
