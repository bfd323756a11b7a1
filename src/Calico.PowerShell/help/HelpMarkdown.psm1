# Reads one cmdlet's help source (<Verb-Noun>.md, the layout README.md describes) into plain objects.
# Used by build-help.ps1 and by tests/Pester/Help.Tests.ps1 (which needs each example's hidden setup code).
# It knows nothing of the compiled cmdlets: checks against the code live in build-help.ps1.
Set-StrictMode -Version Latest

$script:Sections = @('SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS')

# A prompt as a pwsh console shows it ("PS> ", "PS /home/me> ", "PS C:\> ") and its continuation prompt (">> ").
$script:PromptPattern = [regex] '^PS(?: [^>]*)?> ?'
$script:ContinuationPattern = [regex] '^>> ?'
$script:AnyPromptPattern = [regex] '(?m)^PS(?: [^>]*)?>'

# Splits markdown lines into blocks: Heading, Paragraph, List, Code, Comment. Each keeps its 1-based line number.
function ConvertTo-MarkdownBlock {
    param([string[]] $Lines)
    $blocks = [System.Collections.Generic.List[object]]::new()
    $problems = [System.Collections.Generic.List[object]]::new()
    $i = 0
    $n = $Lines.Count
    while ($i -lt $n) {
        $line = $Lines[$i]
        if ($line.Trim().Length -eq 0) { $i++; continue }
        $start = $i + 1

        if ($line -match '^\s{0,3}(`{3,}|~{3,})\s*([^\s`]*)\s*$') {
            $fence = $Matches[1]
            $language = $Matches[2].ToLowerInvariant()
            $close = '^\s{0,3}' + [regex]::Escape($fence.Substring(0, 1)) + '{' + $fence.Length + ',}\s*$'
            $body = [System.Collections.Generic.List[string]]::new()
            $i++
            while ($i -lt $n -and $Lines[$i] -notmatch $close) { $body.Add($Lines[$i]); $i++ }
            if ($i -ge $n) { $problems.Add(@{ Line = $start; Message = "the code block opened here is never closed" }) }
            $i++
            $blocks.Add([pscustomobject]@{ Kind = 'Code'; Line = $start; Language = $language; Text = ($body -join "`n") })
            continue
        }

        if ($line -match '^\s{0,3}<!--') {
            $body = [System.Collections.Generic.List[string]]::new()
            while ($i -lt $n) {
                $body.Add($Lines[$i])
                if ($Lines[$i] -match '-->') { break }
                $i++
            }
            if ($i -ge $n) { $problems.Add(@{ Line = $start; Message = "the HTML comment opened here is never closed" }) }
            $i++
            $text = ($body -join "`n") -replace '^\s*<!--', '' -replace '-->\s*$', ''
            $blocks.Add([pscustomobject]@{ Kind = 'Comment'; Line = $start; Text = $text })
            continue
        }

        if ($line -match '^(#{1,6})\s+(.*?)\s*$') {
            $blocks.Add([pscustomobject]@{ Kind = 'Heading'; Line = $start; Level = $Matches[1].Length; Text = $Matches[2] })
            $i++
            continue
        }

        if ($line -match '^\s{0,3}(?:[-*+]|\d+[.)])\s+') {
            # Items keep their marker ("- ", "1. "); an item's wrapped lines are joined to it.
            $items = [System.Collections.Generic.List[string]]::new()
            while ($i -lt $n) {
                $current = $Lines[$i]
                if ($current -match '^\s{0,3}([-*+]|\d+[.)])\s+(.*)$') {
                    $marker = if ($Matches[1] -match '^\d') { $Matches[1] } else { '-' }
                    $items.Add("$marker $($Matches[2].Trim())")
                }
                elseif ($current.Trim().Length -gt 0 -and $current -match '^\s') {
                    $items[$items.Count - 1] += ' ' + $current.Trim()
                }
                elseif ($current.Trim().Length -eq 0 -and $i + 1 -lt $n -and $Lines[$i + 1] -match '^\s{0,3}(?:[-*+]|\d+[.)])\s+') {
                    # A blank line between items keeps the list going.
                }
                else { break }
                $i++
            }
            $blocks.Add([pscustomobject]@{ Kind = 'List'; Line = $start; Items = $items.ToArray() })
            continue
        }

        $body = [System.Collections.Generic.List[string]]::new()
        while ($i -lt $n) {
            $current = $Lines[$i]
            if ($current.Trim().Length -eq 0 -or $current -match '^(?:#{1,6}\s|\s{0,3}(?:`{3,}|~{3,}|<!--|[-*+]\s|\d+[.)]\s))') { break }
            $body.Add($current)
            $i++
        }
        $blocks.Add([pscustomobject]@{ Kind = 'Paragraph'; Line = $start; Lines = $body.ToArray() })
    }
    return [pscustomobject]@{ Blocks = $blocks; Problems = $problems }
}

$script:InlineMarkup = [char[]] '[<*_'

# A paragraph as MAML takes it: one per markdown paragraph, one per list (an item a line), one per code block.
# A paragraph's soft-wrapped lines become one line (the console wraps it); a table, or a line ending in a hard
# break, keeps its breaks. Inline markup that means nothing in a console goes: bold markers and link targets
# (a web address is kept, in parentheses). Written as one function: PowerShell calls are slow, and this runs
# for every paragraph of every source.
function ConvertTo-HelpParagraph($Block) {
    if ($Block.Kind -eq 'Code') { return $Block.Text }
    if ($Block.Kind -eq 'List') {
        $lines = $Block.Items
        $text = $lines -join "`n"
    }
    else {
        $lines = $Block.Lines
        $isTable = $true
        $hardBreak = $false
        foreach ($line in $lines) {
            if ($isTable -and $line -notmatch '^\s*\|') { $isTable = $false }
            if ($line.EndsWith('  ') -or $line.EndsWith('\')) { $hardBreak = $true }
        }
        if ($isTable) { return $lines.TrimEnd() -join "`n" }
        if (-not $hardBreak) { $text = $lines.Trim() -join ' ' }
        else {
            $text = [System.Text.StringBuilder]::new()
            for ($k = 0; $k -lt $lines.Count; $k++) {
                $line = $lines[$k]
                [void] $text.Append($line.Trim().TrimEnd('\'))
                if ($k -lt $lines.Count - 1) { [void] $text.Append($(if ($line.EndsWith('  ') -or $line.EndsWith('\')) { "`n" } else { ' ' })) }
            }
            $text = $text.ToString()
        }
    }
    if ($text.IndexOfAny($script:InlineMarkup) -lt 0) { return $text }
    return $text -replace '\[([^\]]+)\]\(([a-z][a-z0-9+.-]*:[^)\s]+)\)', '$1 ($2)' `
        -replace '\[([^\]]+)\]\([^)\s]+\)', '$1' `
        -replace '<((?:https?|mailto):[^>\s]+)>', '$1' `
        -replace '\*\*(\S(?:.*?\S)?)\*\*', '$1' `
        -replace '(?<!\w)__(\S(?:.*?\S)?)__(?!\w)', '$1'
}

# The code of a powershell block; a block written as a console transcript has its prompts stripped,
# and a line with no prompt in such a block would be output, which belongs in a ```text block.
function Get-ExampleCode($Block, [System.Collections.Generic.List[string]] $Problems) {
    if (-not $script:AnyPromptPattern.IsMatch($Block.Text)) { return $Block.Text.Trim() }
    $lines = $Block.Text -split "`n"
    $code = [System.Collections.Generic.List[string]]::new()
    for ($k = 0; $k -lt $lines.Count; $k++) {
        $line = $lines[$k]
        if ($script:PromptPattern.IsMatch($line)) { $code.Add($script:PromptPattern.Replace($line, '', 1)) }
        elseif ($script:ContinuationPattern.IsMatch($line)) { $code.Add($script:ContinuationPattern.Replace($line, '', 1)) }
        elseif ($line.Trim().Length -gt 0) {
            $Problems.Add("line $($Block.Line + 1 + $k) has no prompt while other lines of the block do: it looks like output; a powershell block holds only code, output goes in a ``````text block after it")
            break
        }
    }
    return ($code -join "`n").Trim()
}

function New-Problem([string] $Path, [string] $Name, [int] $Line, [string] $Message) {
    "$([System.IO.Path]::GetFileName($Path)):$($Line): $($Name): $Message"
}

<#
.SYNOPSIS
    Reads a cmdlet's markdown help source. Problems with the file's own layout are returned in .Problems
    as "file:line: Cmdlet: message"; the caller decides to fail.
#>
function Read-HelpMarkdown {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Path)

    $name = [System.IO.Path]::GetFileNameWithoutExtension($Path)
    $problems = [System.Collections.Generic.List[string]]::new()
    $parsed = ConvertTo-MarkdownBlock ([System.IO.File]::ReadAllLines($Path))
    foreach ($p in $parsed.Problems) { $problems.Add((New-Problem $Path $name $p.Line $p.Message)) }
    $blocks = $parsed.Blocks

    $help = [pscustomobject]@{
        Path        = $Path
        Name        = $name
        Synopsis    = $null
        Description = [string[]] @()
        Examples    = [System.Collections.Generic.List[object]]::new()
        Parameters  = [ordered]@{}
        Inputs      = [System.Collections.Generic.List[object]]::new()
        Outputs     = [System.Collections.Generic.List[object]]::new()
        Notes       = [string[]] @()
        Links       = [System.Collections.Generic.List[object]]::new()
        Problems    = $problems
    }

    if ($blocks.Count -eq 0 -or $blocks[0].Kind -ne 'Heading' -or $blocks[0].Level -ne 1) {
        $problems.Add((New-Problem $Path $name 1 "the file must begin with the heading '# $name'"))
        return $help
    }
    if ($blocks[0].Text -cne $name) {
        $problems.Add((New-Problem $Path $name $blocks[0].Line "the title '# $($blocks[0].Text)' must be the file's name, '# $name'"))
    }

    # Group the rest by "## SECTION"; what follows an unknown section's heading is set aside, already reported.
    $sections = @{}
    $unknown = [pscustomobject]@{ Blocks = [System.Collections.Generic.List[object]]::new() }
    $section = $null
    for ($b = 1; $b -lt $blocks.Count; $b++) {
        $block = $blocks[$b]
        if ($block.Kind -eq 'Heading' -and $block.Level -le 2) {
            if ($block.Level -eq 1 -or $block.Text -cnotin $script:Sections) {
                $problems.Add((New-Problem $Path $name $block.Line "unknown section '$('#' * $block.Level) $($block.Text)'; the sections are: $(($script:Sections | ForEach-Object { "## $_" }) -join ', ')"))
                $section = $unknown
                continue
            }
            if ($sections.ContainsKey($block.Text)) {
                $problems.Add((New-Problem $Path $name $block.Line "section '## $($block.Text)' appears twice"))
            }
            $section = [pscustomobject]@{ Name = $block.Text; Line = $block.Line; Blocks = [System.Collections.Generic.List[object]]::new() }
            $sections[$block.Text] = $section
            continue
        }
        if ($null -eq $section) {
            if ($block.Kind -ne 'Comment') { $problems.Add((New-Problem $Path $name $block.Line 'text outside any ## section')) }
            continue
        }
        $section.Blocks.Add($block)
    }

    foreach ($entry in $sections.GetEnumerator()) {
        $sectionBlocks = $entry.Value.Blocks.Where({ $_.Kind -ne 'Comment' })
        switch ($entry.Key) {
            'SYNOPSIS' {
                if ($sectionBlocks.Count -gt 1 -or ($sectionBlocks.Count -eq 1 -and $sectionBlocks[0].Kind -ne 'Paragraph')) {
                    $problems.Add((New-Problem $Path $name $entry.Value.Line 'SYNOPSIS must be exactly one paragraph'))
                }
                elseif ($sectionBlocks.Count -eq 1) { $help.Synopsis = ConvertTo-HelpParagraph $sectionBlocks[0] }
            }
            'DESCRIPTION' { $help.Description = [string[]] @(Read-ProseBlock $sectionBlocks $Path $name 'DESCRIPTION' $problems) }
            'NOTES' { $help.Notes = [string[]] @(Read-ProseBlock $sectionBlocks $Path $name 'NOTES' $problems) }
            'EXAMPLES' { Read-ExampleSection $entry.Value.Blocks $help $problems }
            'PARAMETERS' { Read-ParameterSection $sectionBlocks $help $problems }
            'INPUTS' { Read-TypeSection $sectionBlocks $help.Inputs $Path $name 'INPUTS' $problems }
            'OUTPUTS' { Read-TypeSection $sectionBlocks $help.Outputs $Path $name 'OUTPUTS' $problems }
            'RELATED LINKS' { Read-LinkSection $sectionBlocks $help $problems }
        }
    }
    return $help
}

function Read-ProseBlock($Blocks, $Path, $Name, $Section, $Problems) {
    $paragraphs = foreach ($block in $Blocks) {
        if ($block.Kind -eq 'Heading') {
            $Problems.Add((New-Problem $Path $Name $block.Line "a heading inside $Section; write prose, lists and code blocks only"))
            continue
        }
        ConvertTo-HelpParagraph $block
    }
    return [string[]] @($paragraphs)
}

# "### Title" subsections, each a list of blocks, for the sections made of them.
function Split-Subsection($Blocks, $Path, $Name, $Section, $Problems) {
    $current = $null
    foreach ($block in $Blocks) {
        if ($block.Kind -eq 'Heading') {
            if ($block.Level -ne 3) {
                $Problems.Add((New-Problem $Path $Name $block.Line "$Section holds '### ...' subsections; found a level-$($block.Level) heading"))
                continue
            }
            if ($null -ne $current) { $current }
            $current = [pscustomobject]@{ Title = $block.Text; Line = $block.Line; Blocks = [System.Collections.Generic.List[object]]::new() }
            continue
        }
        if ($null -eq $current) {
            if ($block.Kind -ne 'Comment') { $Problems.Add((New-Problem $Path $Name $block.Line "text in $Section before its first '### ' subsection")) }
            continue
        }
        $current.Blocks.Add($block)
    }
    if ($null -ne $current) { $current }
}

function Read-ExampleSection($Blocks, $Help, $Problems) {
    $path = $Help.Path; $name = $Help.Name
    foreach ($sub in @(Split-Subsection $Blocks $path $name 'EXAMPLES' $Problems)) {
        $expected = $Help.Examples.Count + 1
        if ($sub.Title -notmatch '^Example (\d+): (\S.*)$') {
            $Problems.Add((New-Problem $path $name $sub.Line "an example's heading must read '### Example ${expected}: <title>', not '### $($sub.Title)'"))
            continue
        }
        if ([int] $Matches[1] -ne $expected) {
            $Problems.Add((New-Problem $path $name $sub.Line "examples are numbered 1, 2, 3...: expected 'Example $expected', found 'Example $($Matches[1])'"))
        }
        $example = [pscustomobject]@{
            Number  = $expected
            Title   = $Matches[2].Trim()
            Line    = $sub.Line
            Setup   = $null
            NoRun   = $null
            Code    = $null
            Remarks = [System.Collections.Generic.List[string]]::new()
        }
        $where = "Example $expected"
        foreach ($block in $sub.Blocks) {
            if ($block.Kind -eq 'Comment') {
                if ($block.Text -match '(?s)^\s*(setup|no-run)\b\s*:?(.*)$') {
                    $directive = $Matches[1].ToLowerInvariant()
                    $body = $Matches[2].Trim()
                    if ($null -ne $example.Code) {
                        $Problems.Add((New-Problem $path $name $block.Line "${where}: the '$directive' comment must come before the example's code block"))
                    }
                    elseif ($body.Length -eq 0) {
                        $Problems.Add((New-Problem $path $name $block.Line "${where}: the '$directive' comment is empty; it needs $(if ($directive -eq 'setup') { 'code' } else { 'a reason' })"))
                    }
                    elseif ($directive -eq 'setup') {
                        if ($null -ne $example.Setup) { $Problems.Add((New-Problem $path $name $block.Line "${where}: a second setup comment; put all setup code in one")) }
                        $example.Setup = $body
                    }
                    else { $example.NoRun = $body }
                }
                continue
            }
            if ($block.Kind -eq 'Code' -and $block.Language -eq 'powershell') {
                if ($null -ne $example.Code) {
                    $Problems.Add((New-Problem $path $name $block.Line "${where}: a second powershell code block; an example shows one piece of code (make another example)"))
                    continue
                }
                $codeProblems = [System.Collections.Generic.List[string]]::new()
                $example.Code = Get-ExampleCode $block $codeProblems
                foreach ($p in $codeProblems) { $Problems.Add((New-Problem $path $name $block.Line "${where}: $p")) }
                if ($example.Code.Length -eq 0) { $Problems.Add((New-Problem $path $name $block.Line "${where}: the code block is empty")) }
                continue
            }
            if ($null -eq $example.Code) {
                $what = if ($block.Kind -eq 'Code') { "a ``````$($block.Language) block" } else { 'text' }
                $Problems.Add((New-Problem $path $name $block.Line "${where}: $what before the example's code; an example begins with its ``````powershell block"))
                continue
            }
            if ($block.Kind -eq 'Code' -and $block.Language -ne 'text') {
                $Problems.Add((New-Problem $path $name $block.Line "${where}: a ``````$($block.Language) block; after the code, output goes in ``````text blocks"))
                continue
            }
            $example.Remarks.Add((ConvertTo-HelpParagraph $block))
        }
        if ($null -eq $example.Code) {
            $Problems.Add((New-Problem $path $name $sub.Line "${where}: no ``````powershell code block"))
        }
        $Help.Examples.Add($example)
    }
}

function Read-ParameterSection($Blocks, $Help, $Problems) {
    $path = $Help.Path; $name = $Help.Name
    foreach ($sub in @(Split-Subsection $Blocks $path $name 'PARAMETERS' $Problems)) {
        if ($sub.Title -notmatch '^-(\w+)$') {
            $Problems.Add((New-Problem $path $name $sub.Line "a parameter's heading is '### -Name', not '### $($sub.Title)'"))
            continue
        }
        $parameterName = $Matches[1]
        if ($Help.Parameters.Contains($parameterName)) {
            $Problems.Add((New-Problem $path $name $sub.Line "parameter -$parameterName is described twice"))
            continue
        }
        $default = $null
        $paragraphs = [System.Collections.Generic.List[string]]::new()
        foreach ($block in $sub.Blocks) {
            if ($block.Kind -eq 'Paragraph') {
                # "Default value: ..." is a line of its own, wherever it stands; the rest of its paragraph stays prose.
                $prose = [System.Collections.Generic.List[string]]::new()
                foreach ($line in $block.Lines) {
                    if ($line -match '^\s*Default value:\s*(.*)$') { $default = $Matches[1].Trim() } else { $prose.Add($line) }
                }
                if ($prose.Count -eq 0) { continue }
                $block = [pscustomobject]@{ Kind = 'Paragraph'; Line = $block.Line; Lines = $prose.ToArray() }
            }
            $paragraphs.Add((ConvertTo-HelpParagraph $block))
        }
        if ($default -eq '') {
            $Problems.Add((New-Problem $path $name $sub.Line "parameter -${parameterName}: 'Default value:' needs the value after it"))
        }
        $Help.Parameters[$parameterName] = [pscustomobject]@{
            Name         = $parameterName
            Line         = $sub.Line
            Description  = [string[]] $paragraphs
            DefaultValue = $default
        }
    }
}

function Read-TypeSection($Blocks, $Into, $Path, $Name, $Section, $Problems) {
    foreach ($sub in @(Split-Subsection $Blocks $Path $Name $Section $Problems)) {
        $Into.Add([pscustomobject]@{
                Type        = $sub.Title.Trim('`')
                Line        = $sub.Line
                Description = [string[]] @(foreach ($block in $sub.Blocks) { if ($block.Kind -ne 'Comment') { ConvertTo-HelpParagraph $block } })
            })
    }
}

function Read-LinkSection($Blocks, $Help, $Problems) {
    foreach ($block in $Blocks) {
        $candidates = switch ($block.Kind) {
            'List' { $block.Items -replace '^\S+\s+', '' }
            'Paragraph' { $block.Lines }
            default { '' }
        }
        foreach ($candidate in $candidates) {
            if ($candidate.Trim() -match '^\[([^\]]+)\]\(([^)\s]*)\)$') {
                $Help.Links.Add([pscustomobject]@{ Text = $Matches[1]; Uri = $Matches[2]; Line = $block.Line })
            }
            else {
                $Problems.Add((New-Problem $Help.Path $Help.Name $block.Line "RELATED LINKS holds only links, one a line: '- [Text](https://...)' or '- [Get-Other](Get-Other.md)'"))
            }
        }
    }
}

Export-ModuleMember -Function Read-HelpMarkdown
