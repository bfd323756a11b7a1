# Dot-sourced by Invoke-ScaleBenchmark.ps1: how cost grows with size (the growth exponents), the SVG plot of time
# against size, and the printed summary against the targets of docs/PERFORMANCE.md.

# The scaling series: which result list, which figure, and how it is labelled.
$script:ScalingSeries = @(
    @{ Panel = 'List nodes (etcd)'; Path = 'list'; Figure = 'cmdletMs'; Label = 'Get-CalicoNode | Measure-Object'; Unit = 'ms' }
    @{ Panel = 'List nodes (etcd)'; Path = 'list'; Figure = 'coreApiMs'; Label = 'Core API Nodes.ListAsync'; Unit = 'ms' }
    @{ Panel = 'List nodes (etcd)'; Path = 'list'; Figure = 'etcdctlMs'; Label = 'etcdctl get --prefix'; Unit = 'ms' }
    @{ Panel = 'Apply resources (etcd)'; Path = 'apply'; Figure = 'cmdletMs'; Label = 'Import-CalicoResource'; Unit = 'ms' }
    @{ Panel = 'Apply resources (etcd)'; Path = 'apply'; Figure = 'etcdctlMs'; Label = 'etcdctl txn, same keys'; Unit = 'ms' }
    @{ Panel = 'Apply resources (etcd)'; Path = 'apply'; Figure = 'etcdctlPutPerKeyMs'; Label = 'etcdctl put per key'; Unit = 'ms' }
    @{ Panel = 'Sync routes (first sync)'; Path = 'sync'; Figure = 'cmdletMs'; Label = 'Sync-CalicoDataplane'; Unit = 'ms' }
    @{ Panel = 'Sync routes (first sync)'; Path = 'sync'; Figure = 'baselineMs'; Label = 'ip/bridge -batch, nft -f'; Unit = 'ms' }
    @{ Panel = 'No-op resync'; Path = 'sync'; Figure = 'noopResyncMs'; Label = 'Sync-CalicoDataplane, nothing to do'; Unit = 'ms' }
    @{ Panel = 'Model memory (1 block/node)'; Path = 'memory'; Figure = 'modelMb'; Label = 'objects + planner'; Unit = 'MB' }
    @{ Panel = 'Model memory (1 block/node)'; Path = 'memory'; Figure = 'objectsMb'; Label = 'objects only'; Unit = 'MB' }
)

function Get-SeriesPoints($Results, $Series) {
    if (-not $Results.Contains($Series.Path)) { return @() }
    # The memory series is the one-block-per-node shape; the 40,000-block reference point is a separate figure.
    @($Results[$Series.Path] | Where-Object { -not $_.Contains('blocksPerNode') -or $_.blocksPerNode -eq 1 } |
        ForEach-Object { [pscustomobject]@{ X = [double] $_.size; Y = [double] $_[$Series.Figure] } } | Sort-Object X)
}

# Cost ∝ size^k: k ≈ 1 is linear, k ≈ 2 quadratic. Over the whole range a fixed cost (process start, a first round
# trip) pulls k below 1, so the verdict is taken between the two largest sizes, where that cost matters least.
function Get-Exponent($From, $To) { [math]::Round([math]::Log($To.Y / $From.Y) / [math]::Log($To.X / $From.X), 2) }

function Get-Growth($Results) {
    $growth = [Collections.Generic.List[object]]::new()
    foreach ($series in $script:ScalingSeries) {
        $points = @(Get-SeriesPoints $Results $series)
        if ($points.Count -lt 2) { continue }
        $k = Get-Exponent $points[-2] $points[-1]
        $growth.Add([ordered]@{
            path = $series.Panel; series = $series.Label; exponent = Get-Exponent $points[0] $points[-1]; upperExponent = $k
            perItem = @($points | ForEach-Object { [ordered]@{ size = $_.X; value = [math]::Round($_.Y / $_.X, 4) } })
            unit = "$($series.Unit) per item"
            verdict = if ($k -le 1.25) { 'linear' } elseif ($k -le 1.5) { 'between linear and quadratic' } else { 'superlinear (quadratic or worse)' }
        })
    }
    , $growth.ToArray()
}

function ConvertTo-SvgText([string] $Text) { [Security.SecurityElement]::Escape($Text) }

# One log-log panel per scaling path: every series, and a dashed line of linear growth through the first series' first point.
function Write-ScalingPlot($Results, [string] $Path) {
    $panels = @($script:ScalingSeries | ForEach-Object Panel | Select-Object -Unique |
        Where-Object { $panel = $_; @($script:ScalingSeries | Where-Object { $_.Panel -eq $panel } | Where-Object { @(Get-SeriesPoints $Results $_).Count -gt 0 }).Count -gt 0 })
    $colours = '#1f77b4', '#d62728', '#2ca02c', '#9467bd'
    $w = 440; $h = 300; $columns = 3
    $rows = [math]::Max(1, [math]::Ceiling($panels.Count / $columns))
    $svg = [Text.StringBuilder]::new()
    $null = $svg.AppendLine("<svg xmlns='http://www.w3.org/2000/svg' width='$($w * $columns)' height='$($h * $rows + 30)' font-family='sans-serif' font-size='11'>")
    $null = $svg.AppendLine("<rect width='100%' height='100%' fill='white'/>")
    $load = "load average $($Results.loadAtStart) at start; $($Results.machine.cores) cores, $(ConvertTo-SvgText $Results.machine.cpu)"
    $null = $svg.AppendLine("<text x='10' y='18' font-size='13'>Calico scale harness, $($Results.started.Substring(0, 10)): time against size, log-log; dashed = linear growth ($load)</text>")
    for ($p = 0; $p -lt $panels.Count; $p++) {
        $ox = ($p % $columns) * $w; $oy = 30 + [math]::Floor($p / $columns) * $h
        $left = $ox + 60; $right = $ox + $w - 15; $top = $oy + 25; $bottom = $oy + $h - 95
        $series = @($script:ScalingSeries | Where-Object { $_.Panel -eq $panels[$p] } | Where-Object { @(Get-SeriesPoints $Results $_).Count -gt 0 })
        $all = @($series | ForEach-Object { Get-SeriesPoints $Results $_ })
        $xMin = [math]::Log10(($all.X | Measure-Object -Minimum).Minimum) - 0.1; $xMax = [math]::Log10(($all.X | Measure-Object -Maximum).Maximum) + 0.1
        $yMin = [math]::Floor([math]::Log10(($all.Y | Measure-Object -Minimum).Minimum)); $yMax = [math]::Ceiling([math]::Log10(($all.Y | Measure-Object -Maximum).Maximum))
        if ($yMax -le $yMin) { $yMax = $yMin + 1 }
        $sx = { param($x) $left + ([math]::Log10($x) - $xMin) / ($xMax - $xMin) * ($right - $left) }
        $sy = { param($y) $bottom - ([math]::Log10($y) - $yMin) / ($yMax - $yMin) * ($bottom - $top) }
        $unit = $series[0].Unit
        $null = $svg.AppendLine("<text x='$($ox + 10)' y='$($oy + 15)' font-size='12' font-weight='bold'>$(ConvertTo-SvgText $panels[$p]) ($unit)</text>")
        $null = $svg.AppendLine("<rect x='$left' y='$top' width='$($right - $left)' height='$($bottom - $top)' fill='none' stroke='#888'/>")
        for ($e = $yMin; $e -le $yMax; $e++) {
            $y = & $sy ([math]::Pow(10, $e))
            $null = $svg.AppendLine("<line x1='$left' y1='$y' x2='$right' y2='$y' stroke='#eee'/><text x='$($left - 5)' y='$($y + 4)' text-anchor='end'>$([math]::Pow(10, $e))</text>")
        }
        foreach ($x in ($all.X | Select-Object -Unique)) {
            $px = & $sx $x
            $null = $svg.AppendLine("<line x1='$px' y1='$top' x2='$px' y2='$bottom' stroke='#eee'/><text x='$px' y='$($bottom + 14)' text-anchor='middle'>$x</text>")
        }
        # Linear growth from the first point of the first series.
        $first = @(Get-SeriesPoints $Results $series[0])
        $x0 = $first[0].X; $y0 = $first[0].Y; $x1 = $first[-1].X
        $null = $svg.AppendLine("<line x1='$(& $sx $x0)' y1='$(& $sy $y0)' x2='$(& $sx $x1)' y2='$(& $sy ($y0 * $x1 / $x0))' stroke='#999' stroke-dasharray='4 3'/>")
        for ($s = 0; $s -lt $series.Count; $s++) {
            $points = @(Get-SeriesPoints $Results $series[$s])
            $colour = $colours[$s % $colours.Count]
            $line = ($points | ForEach-Object { "$(& $sx $_.X),$(& $sy $_.Y)" }) -join ' '
            $null = $svg.AppendLine("<polyline points='$line' fill='none' stroke='$colour' stroke-width='2'/>")
            foreach ($pt in $points) { $null = $svg.AppendLine("<circle cx='$(& $sx $pt.X)' cy='$(& $sy $pt.Y)' r='3' fill='$colour'><title>$($pt.X): $($pt.Y) $unit</title></circle>") }
            $growth = @($Results.growth | Where-Object { $_.path -eq $panels[$p] -and $_.series -eq $series[$s].Label })
            $k = if ($growth) { ": size^$($growth[0].exponent) overall, ^$($growth[0].upperExponent) at the top" } else { '' }
            $null = $svg.AppendLine("<text x='$($ox + 15)' y='$($bottom + 32 + 14 * $s)' fill='$colour'>$(ConvertTo-SvgText $series[$s].Label)$k</text>")
        }
    }
    $null = $svg.AppendLine('</svg>')
    Set-Content -Path $Path -Value $svg.ToString()
}

function Write-Summary($Results) {
    function Point($Path, $Size) { if ($Results.Contains($Path)) { @($Results[$Path] | Where-Object { $_.size -eq $Size -and (-not $_.Contains('blocksPerNode') -or $_.blocksPerNode -eq 4) })[0] } }
    $rows = @(
        if ($Results.Contains('import')) {
            [pscustomobject]@{ Target = 'Import-Module after warm-up ≤ 100 ms'; Measured = "$($Results.import.calicoMs) ms (empty module $($Results.import.emptyModuleMs) ms; first command $($Results.import.firstCommandMs) ms)"; Met = $Results.import.calicoMs -le 100 }
        }
        if ($p = Point 'list' 10000) {
            [pscustomobject]@{ Target = 'list 10,000 nodes ≤ 1.0× etcdctl'; Measured = "$($p.cmdletMs) ms vs $($p.etcdctlMs) ms = $($p.ratio)× (Core API $($p.coreApiMs) ms = $($p.coreApiRatio)×)"; Met = $p.ratio -le 1.0 }
        }
        if ($p = Point 'apply' 1000) {
            [pscustomobject]@{ Target = 'apply 1,000 resources ≤ 1.5× etcdctl'; Measured = "$($p.cmdletMs) ms vs $($p.etcdctlMs) ms = $($p.ratio)× (vs a put per key $($p.etcdctlPutPerKeyMs) ms = $($p.putPerKeyRatio)×)"; Met = $p.ratio -le 1.5 }
        }
        if ($Results.Contains('fileStore')) {
            $f = $Results.fileStore
            [pscustomobject]@{ Target = 'file store: 1,000 pools < 1 s'; Measured = "$($f.importPoolsMs) ms by Import-CalicoResource (New-CalicoIPPool 1,000 times: $($f.newPoolOneByOneMs) ms)"; Met = $f.importPoolsMs -lt 1000 }
            [pscustomobject]@{ Target = 'file store: list 10,000 nodes < 200 ms'; Measured = "$($f.listNodesMs) ms (Get-CalicoNode | Measure-Object)"; Met = $f.listNodesMs -lt 200 }
        }
        if ($p = Point 'sync' 10000) {
            [pscustomobject]@{ Target = 'sync 10,000 routes ≤ 1.0× ip -batch'; Measured = "$($p.cmdletMs) ms vs $($p.baselineMs) ms = $($p.ratio)×"; Met = $p.ratio -le 1.0 }
            [pscustomobject]@{ Target = 'no-op resync of 10,000 routes ≤ 20 ms'; Measured = "$($p.noopResyncMs) ms (whole cmdlet)"; Met = $p.noopResyncMs -le 20 }
        }
        if ($p = Point 'memory' 10000) {
            [pscustomobject]@{ Target = '10,000-node model ≤ 200 MB'; Measured = "$($p.modelMb) MB ($($p.blocks) blocks: objects $($p.objectsMb) MB + planner $($p.plannerMb) MB)"; Met = $p.modelMb -le 200 }
        }
    )
    $rows | Format-Table -AutoSize -Wrap | Out-Host
    $Results.growth | ForEach-Object { [pscustomobject]@{ Path = $_.path; Series = $_.series; Exponent = $_.exponent; 'At the top' = $_.upperExponent; Verdict = $_.verdict } } |
        Format-Table -AutoSize | Out-Host
}
