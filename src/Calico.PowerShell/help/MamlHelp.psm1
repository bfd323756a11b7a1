# Writes cmdlet help as MAML, the XML that Get-Help reads for compiled cmdlets (<Assembly>.dll-Help.xml in the
# culture folder beside the module). The element layout is the one PowerShell's own help files use.
# Input: for each cmdlet, its metadata (from Read-CmdletMetadata.ps1) and its help source (from Read-HelpMarkdown).
# The XML is composed as text (every value escaped) because an XmlWriter call per attribute is several times
# slower in PowerShell, and the build must stay fast.
Set-StrictMode -Version Latest

$script:Xml = [System.Security.SecurityElement]
$script:AllSets = '__AllParameterSets'

# Engine-supplied parameters every ShouldProcess cmdlet has; their meaning never varies, so a help source may leave them out.
$script:StandardDescriptions = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}

function Format-Description([string[]] $Paragraphs, [string] $Indent) {
    $paras = foreach ($paragraph in $Paragraphs) { "$Indent  <maml:para>$($script:Xml::Escape($paragraph))</maml:para>" }
    "$Indent<maml:description>`n$($paras -join "`n")`n$Indent</maml:description>"
}

# Lookups rather than small functions: a PowerShell function call costs as much as rendering an element.
$script:Bool = @{ $true = 'true'; $false = 'false' }
# Keyed by "<ByValue><ByPropertyName>".
$script:PipelineInput = @{
    'TrueTrue'   = 'True (ByPropertyName, ByValue)'
    'TrueFalse'  = 'True (ByValue)'
    'FalseTrue'  = 'True (ByPropertyName)'
    'FalseFalse' = 'False'
}

# What a parameter's element says in every place it appears, rendered once per parameter.
function Get-ParameterFragment($Parameter) {
    $x = $script:Xml
    $aliases = if ($Parameter.Aliases) { $Parameter.Aliases -join ', ' } else { 'none' }
    $group = if ($Parameter.AcceptedValues) {
        $values = foreach ($value in $Parameter.AcceptedValues) { "<command:parameterValue required=`"false`" variableLength=`"false`">$($x::Escape($value))</command:parameterValue>" }
        "<command:parameterValueGroup>$($values -join '')</command:parameterValueGroup>"
    }
    $variableLength = $script:Bool[[bool] $Parameter.IsArray]
    # A switch takes no value: the syntax shows [-Name]; the parameter list shows -Name [<SwitchParameter>].
    $value = if ($Parameter.IsSwitch) { '<command:parameterValue required="false" variableLength="false">SwitchParameter</command:parameterValue>' }
    else { "<command:parameterValue required=`"true`" variableLength=`"$variableLength`">$($x::Escape($Parameter.TypeDisplay))</command:parameterValue>" }
    [pscustomobject]@{
        Attributes   = "variableLength=`"$variableLength`" globbing=`"$($script:Bool[[bool] $Parameter.Globbing])`" aliases=`"$($x::Escape($aliases))`""
        Name         = "<maml:name>$($x::Escape($Parameter.Name))</maml:name>"
        SyntaxValue  = "$group$(if (-not $Parameter.IsSwitch) { $value })"
        ListValue    = "$group$value"
        Type         = "<dev:type><maml:name>$($x::Escape($Parameter.Type))</maml:name></dev:type>"
    }
}

function Format-SyntaxItem($Metadata, $Set, [hashtable] $Parameters, [hashtable] $Fragments) {
    $items = foreach ($name in $Set.Order) {
        $fragment = $Fragments[$name]
        foreach ($inSet in $Parameters[$name].Sets) {
            if ($inSet.Name -ne $Set.Name -and $inSet.Name -ne $script:AllSets) { continue }
            $position = if ($inSet.Position -lt 0) { 'named' } else { $inSet.Position }
            "        <command:parameter required=`"$($script:Bool[[bool] $inSet.Mandatory])`" $($fragment.Attributes) pipelineInput=`"$($script:PipelineInput["$($inSet.ByValue)$($inSet.ByPropertyName)"])`" position=`"$position`">$($fragment.Name)$($fragment.SyntaxValue)$($fragment.Type)</command:parameter>"
            break
        }
    }
    "      <command:syntaxItem>`n        <maml:name>$($script:Xml::Escape($Metadata.Name))</maml:name>`n$($items -join "`n")`n      </command:syntaxItem>"
}

# One parameter across all its parameter sets; where the sets disagree on the position, each set is named.
function Format-ParameterItem($Parameter, $Fragment, [string[]] $Description, [string] $DefaultValue) {
    [bool] $required = $false; [bool] $byValue = $false; [bool] $byPropertyName = $false
    $positions = [System.Collections.Generic.List[string]]::new()
    $perSet = [System.Collections.Generic.List[string]]::new()
    foreach ($set in $Parameter.Sets) {
        $required = $required -or $set.Mandatory
        $byValue = $byValue -or $set.ByValue
        $byPropertyName = $byPropertyName -or $set.ByPropertyName
        $position = if ($set.Position -lt 0) { 'named' } else { [string] $set.Position }
        if (-not $positions.Contains($position)) { $positions.Add($position) }
        $perSet.Add("$position ($(if ($set.Name -eq $script:AllSets) { '(All)' } else { $set.Name }))")
    }
    $position = if ($positions.Count -eq 1) { $positions[0] } else { $perSet -join ', ' }
    @"
      <command:parameter required="$($script:Bool[$required])" $($Fragment.Attributes) pipelineInput="$($script:PipelineInput["$byValue$byPropertyName"])" position="$($script:Xml::Escape($position))">
        $($Fragment.Name)
$(Format-Description $Description '        ')
        $($Fragment.ListValue)$($Fragment.Type)
        <dev:defaultValue>$($script:Xml::Escape($DefaultValue))</dev:defaultValue>
      </command:parameter>
"@
}

# The parameters in the order the help source describes them; engine parameters it leaves out come last.
function Format-Parameters($Metadata, $Source, [hashtable] $Parameters, [hashtable] $Fragments) {
    $names = [System.Collections.Generic.List[string]]::new([string[]] $Source.Parameters.Keys)
    foreach ($parameter in $Metadata.Parameters) { if (-not $Source.Parameters.Contains($parameter.Name)) { $names.Add($parameter.Name) } }
    $items = foreach ($name in $names) {
        $parameter = $Parameters[$name]
        $described = if ($Source.Parameters.Contains($name)) { $Source.Parameters[$name] } else { $null }
        $description = if ($described) { $described.Description } else { [string[]] $script:StandardDescriptions[$name] }
        $default = if ($null -ne $parameter.Default) { $parameter.Default }
        elseif ($described -and $described.DefaultValue) { $described.DefaultValue }
        elseif ($parameter.IsSwitch) { 'False' }
        else { 'None' }
        Format-ParameterItem $parameter $Fragments[$name] $description $default
    }
    "    <command:parameters>`n$($items -join "`n")`n    </command:parameters>"
}

function Format-Types([string] $Container, [string] $Item, $Entries) {
    $items = foreach ($entry in $Entries) {
        "      <command:$Item>`n        <dev:type><maml:name>$($script:Xml::Escape($entry.Type))</maml:name></dev:type>`n$(Format-Description $entry.Description '        ')`n      </command:$Item>"
    }
    "    <command:$Container>`n$($items -join "`n")`n    </command:$Container>"
}

function Format-Examples($Source) {
    $x = $script:Xml
    $items = foreach ($example in $Source.Examples) {
        # Get-Help puts the next example's title on the line after the last remark; an empty paragraph leaves a blank line.
        $remarks = foreach ($paragraph in @($example.Remarks) + '') { "          <maml:para>$($x::Escape($paragraph))</maml:para>" }
        @"
      <command:example>
        <maml:title>---------- Example $($example.Number): $($x::Escape($example.Title)) ----------</maml:title>
        <dev:code>$($x::Escape($example.Code))</dev:code>
        <dev:remarks>
$($remarks -join "`n")
        </dev:remarks>
      </command:example>
"@
    }
    "    <command:examples>`n$($items -join "`n")`n    </command:examples>"
}

function Format-RelatedLinks($Source) {
    $x = $script:Xml
    $items = foreach ($link in $Source.Links) {
        # A link to another help source names a cmdlet (Get-Help shows the name); a web link keeps its address.
        $uri = if ($link.Uri -match '^[a-z][a-z0-9+.-]*:') { $link.Uri } else { '' }
        "      <maml:navigationLink><maml:linkText>$($x::Escape($link.Text))</maml:linkText><maml:uri>$($x::Escape($uri))</maml:uri></maml:navigationLink>"
    }
    "    <command:relatedLinks>`n$($items -join "`n")`n    </command:relatedLinks>"
}

function Format-CommandHelp($Metadata, $Source) {
    $x = $script:Xml
    $parameters = @{}
    $fragments = @{}
    foreach ($parameter in $Metadata.Parameters) {
        $parameters[$parameter.Name] = $parameter
        $fragments[$parameter.Name] = Get-ParameterFragment $parameter
    }
    $syntaxItems = foreach ($set in $Metadata.ParameterSets) { Format-SyntaxItem $Metadata $set $parameters $fragments }
    $notes = if ($Source.Notes.Count -gt 0) { "    <maml:alertSet>`n      <maml:alert>`n$((Format-Description $Source.Notes '        ') -replace '</?maml:description>', '')`n      </maml:alert>`n    </maml:alertSet>" }
    @"
  <command:command xmlns:maml="http://schemas.microsoft.com/maml/2004/10" xmlns:command="http://schemas.microsoft.com/maml/dev/command/2004/10" xmlns:dev="http://schemas.microsoft.com/maml/dev/2004/10">
    <command:details>
      <command:name>$($x::Escape($Metadata.Name))</command:name>
      <command:verb>$($x::Escape($Metadata.Verb))</command:verb>
      <command:noun>$($x::Escape($Metadata.Noun))</command:noun>
$(Format-Description $Source.Synopsis '      ')
    </command:details>
$(Format-Description $Source.Description '    ')
    <command:syntax>
$($syntaxItems -join "`n")
    </command:syntax>
$(Format-Parameters $Metadata $Source $parameters $fragments)
$(Format-Types 'inputTypes' 'inputType' $Source.Inputs)
$(Format-Types 'returnValues' 'returnValue' $Source.Outputs)
$notes
$(Format-Examples $Source)
$(Format-RelatedLinks $Source)
  </command:command>
"@
}

<#
.SYNOPSIS
    Writes one MAML help file holding the help of the given cmdlets. Each item of -Command has .Metadata and .Source.
#>
function Write-MamlHelp {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [object[]] $Command)

    $text = [System.Text.StringBuilder]::new()
    [void] $text.Append("<?xml version=`"1.0`" encoding=`"utf-8`"?>`n<helpItems schema=`"maml`" xmlns=`"http://msh`">`n")
    foreach ($item in $Command) { [void] $text.Append((Format-CommandHelp $item.Metadata $item.Source)).Append("`n") }
    [void] $text.Append("</helpItems>`n")
    # Reading it back proves it is well-formed XML before Get-Help ever sees it.
    [void] [System.Xml.XmlDocument]::new().LoadXml($text.ToString())
    [System.IO.File]::WriteAllText($Path, $text.ToString(), [System.Text.UTF8Encoding]::new($false))
}

Export-ModuleMember -Function Write-MamlHelp
