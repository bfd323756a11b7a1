# Writes cmdlet help as MAML, the XML that Get-Help reads for compiled cmdlets (<Assembly>.dll-Help.xml in the
# culture folder beside the module). The element layout is the one PowerShell's own help files use.
# Input: for each cmdlet, its metadata (from Read-CmdletMetadata.ps1) and its help source (from Read-HelpMarkdown).
Set-StrictMode -Version Latest

$script:Msh = 'http://msh'
$script:Maml = 'http://schemas.microsoft.com/maml/2004/10'
$script:Command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$script:Dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
$script:AllSets = '__AllParameterSets'

# Engine-supplied parameters every ShouldProcess cmdlet has; their meaning never varies, so a help source may leave them out.
$script:StandardDescriptions = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}

function Write-Paragraphs([System.Xml.XmlWriter] $Writer, [string[]] $Paragraphs) {
    foreach ($paragraph in $Paragraphs) { $Writer.WriteElementString('maml', 'para', $script:Maml, $paragraph) }
}

function Write-Description([System.Xml.XmlWriter] $Writer, [string[]] $Paragraphs) {
    $Writer.WriteStartElement('maml', 'description', $script:Maml)
    Write-Paragraphs $Writer $Paragraphs
    $Writer.WriteEndElement()
}

function Format-PipelineInput([bool] $ByValue, [bool] $ByPropertyName) {
    if ($ByValue -and $ByPropertyName) { return 'True (ByPropertyName, ByValue)' }
    if ($ByValue) { return 'True (ByValue)' }
    if ($ByPropertyName) { return 'True (ByPropertyName)' }
    return 'False'
}

function Format-Position($Position) {
    if ($Position -lt 0) { 'named' } else { [string] $Position }
}

function Get-SetName([string] $Name) {
    if ($Name -eq $script:AllSets) { '(All)' } else { $Name }
}

# One parameter's attributes across all its parameter sets; where the sets disagree on the position, each is named.
function Get-ParameterSummary($Parameter) {
    $sets = @($Parameter.Sets)
    $positions = @($sets | ForEach-Object { Format-Position $_.Position } | Select-Object -Unique)
    $position = if ($positions.Count -eq 1) { $positions[0] } else { ($sets | ForEach-Object { "$(Format-Position $_.Position) ($(Get-SetName $_.Name))" }) -join ', ' }
    [pscustomobject]@{
        Required      = [bool] ($sets | Where-Object Mandatory)
        Position      = $position
        PipelineInput = Format-PipelineInput ([bool] ($sets | Where-Object ByValue)) ([bool] ($sets | Where-Object ByPropertyName))
    }
}

function Write-ParameterElement {
    param(
        [System.Xml.XmlWriter] $Writer, $Parameter, [bool] $Required, [string] $Position, [string] $PipelineInput,
        [string[]] $Description, [string] $DefaultValue, [bool] $InSyntax
    )
    $Writer.WriteStartElement('command', 'parameter', $script:Command)
    $Writer.WriteAttributeString('required', $Required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', $Parameter.IsArray.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', $Parameter.Globbing.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $PipelineInput)
    $Writer.WriteAttributeString('position', $Position)
    $Writer.WriteAttributeString('aliases', $(if ($Parameter.Aliases) { $Parameter.Aliases -join ', ' } else { 'none' }))
    $Writer.WriteElementString('maml', 'name', $script:Maml, $Parameter.Name)
    if (-not $InSyntax) { Write-Description $Writer $Description }
    if ($Parameter.AcceptedValues) {
        $Writer.WriteStartElement('command', 'parameterValueGroup', $script:Command)
        foreach ($value in $Parameter.AcceptedValues) {
            $Writer.WriteStartElement('command', 'parameterValue', $script:Command)
            $Writer.WriteAttributeString('required', 'false')
            $Writer.WriteAttributeString('variableLength', 'false')
            $Writer.WriteString($value)
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }
    # A switch takes no value: the syntax shows [-Name]; the parameter list shows -Name [<SwitchParameter>].
    if (-not ($Parameter.IsSwitch -and $InSyntax)) {
        $Writer.WriteStartElement('command', 'parameterValue', $script:Command)
        $Writer.WriteAttributeString('required', (-not $Parameter.IsSwitch).ToString().ToLowerInvariant())
        $Writer.WriteAttributeString('variableLength', $Parameter.IsArray.ToString().ToLowerInvariant())
        $Writer.WriteString($(if ($Parameter.IsSwitch) { 'SwitchParameter' } else { $Parameter.TypeDisplay }))
        $Writer.WriteEndElement()
    }
    $Writer.WriteStartElement('dev', 'type', $script:Dev)
    $Writer.WriteElementString('maml', 'name', $script:Maml, $Parameter.Type)
    $Writer.WriteEndElement()
    if (-not $InSyntax) { $Writer.WriteElementString('dev', 'defaultValue', $script:Dev, $DefaultValue) }
    $Writer.WriteEndElement()
}

function Write-Syntax([System.Xml.XmlWriter] $Writer, $Metadata) {
    $byName = @{}
    foreach ($parameter in $Metadata.Parameters) { $byName[$parameter.Name] = $parameter }
    $Writer.WriteStartElement('command', 'syntax', $script:Command)
    foreach ($set in $Metadata.ParameterSets) {
        $Writer.WriteStartElement('command', 'syntaxItem', $script:Command)
        $Writer.WriteElementString('maml', 'name', $script:Maml, $Metadata.Name)
        foreach ($name in $set.Order) {
            $parameter = $byName[$name]
            $inSet = @($parameter.Sets | Where-Object { $_.Name -eq $set.Name -or $_.Name -eq $script:AllSets })[0]
            Write-ParameterElement -Writer $Writer -Parameter $parameter -Required $inSet.Mandatory -Position (Format-Position $inSet.Position) `
                -PipelineInput (Format-PipelineInput $inSet.ByValue $inSet.ByPropertyName) -InSyntax $true
        }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

# The parameters in the order the help source describes them; engine parameters it leaves out come last.
function Write-Parameters([System.Xml.XmlWriter] $Writer, $Metadata, $Source) {
    $byName = @{}
    foreach ($parameter in $Metadata.Parameters) { $byName[$parameter.Name] = $parameter }
    $names = @($Source.Parameters.Keys) + @($Metadata.Parameters.Name | Where-Object { -not $Source.Parameters.Contains($_) })
    $Writer.WriteStartElement('command', 'parameters', $script:Command)
    foreach ($name in $names) {
        $parameter = $byName[$name]
        $described = if ($Source.Parameters.Contains($name)) { $Source.Parameters[$name] } else { $null }
        $description = if ($described) { $described.Description } else { [string[]] $script:StandardDescriptions[$name] }
        $default = if ($null -ne $parameter.Default) { $parameter.Default }
        elseif ($described -and $described.DefaultValue) { $described.DefaultValue }
        elseif ($parameter.IsSwitch) { 'False' }
        else { 'None' }
        $summary = Get-ParameterSummary $parameter
        Write-ParameterElement -Writer $Writer -Parameter $parameter -Required $summary.Required -Position $summary.Position `
            -PipelineInput $summary.PipelineInput -Description $description -DefaultValue $default -InSyntax $false
    }
    $Writer.WriteEndElement()
}

function Write-Types([System.Xml.XmlWriter] $Writer, [string] $Container, [string] $Item, $Entries) {
    $Writer.WriteStartElement('command', $Container, $script:Command)
    foreach ($entry in $Entries) {
        $Writer.WriteStartElement('command', $Item, $script:Command)
        $Writer.WriteStartElement('dev', 'type', $script:Dev)
        $Writer.WriteElementString('maml', 'name', $script:Maml, $entry.Type)
        $Writer.WriteEndElement()
        Write-Description $Writer $entry.Description
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

function Write-Examples([System.Xml.XmlWriter] $Writer, $Source) {
    $Writer.WriteStartElement('command', 'examples', $script:Command)
    foreach ($example in $Source.Examples) {
        $Writer.WriteStartElement('command', 'example', $script:Command)
        $Writer.WriteElementString('maml', 'title', $script:Maml, "---------- Example $($example.Number): $($example.Title) ----------")
        $Writer.WriteElementString('dev', 'code', $script:Dev, $example.Code)
        $Writer.WriteStartElement('dev', 'remarks', $script:Dev)
        Write-Paragraphs $Writer $example.Remarks
        # Get-Help puts the next example's title on the line after the last remark; an empty paragraph leaves a blank line.
        Write-Paragraphs $Writer ''
        $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

function Write-RelatedLinks([System.Xml.XmlWriter] $Writer, $Source) {
    $Writer.WriteStartElement('command', 'relatedLinks', $script:Command)
    foreach ($link in $Source.Links) {
        $Writer.WriteStartElement('maml', 'navigationLink', $script:Maml)
        $Writer.WriteElementString('maml', 'linkText', $script:Maml, $link.Text)
        # A link to another help source names a cmdlet (Get-Help shows the name); a web link keeps its address.
        $Writer.WriteElementString('maml', 'uri', $script:Maml, $(if ($link.Uri -match '^[a-z][a-z0-9+.-]*:') { $link.Uri } else { '' }))
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

function Write-CommandHelp([System.Xml.XmlWriter] $Writer, $Metadata, $Source) {
    $Writer.WriteStartElement('command', 'command', $script:Command)
    $Writer.WriteAttributeString('xmlns', 'maml', $null, $script:Maml)
    $Writer.WriteAttributeString('xmlns', 'command', $null, $script:Command)
    $Writer.WriteAttributeString('xmlns', 'dev', $null, $script:Dev)

    $Writer.WriteStartElement('command', 'details', $script:Command)
    $Writer.WriteElementString('command', 'name', $script:Command, $Metadata.Name)
    $Writer.WriteElementString('command', 'verb', $script:Command, $Metadata.Verb)
    $Writer.WriteElementString('command', 'noun', $script:Command, $Metadata.Noun)
    Write-Description $Writer $Source.Synopsis
    $Writer.WriteEndElement()

    Write-Description $Writer $Source.Description
    Write-Syntax $Writer $Metadata
    Write-Parameters $Writer $Metadata $Source
    Write-Types $Writer 'inputTypes' 'inputType' $Source.Inputs
    Write-Types $Writer 'returnValues' 'returnValue' $Source.Outputs
    if ($Source.Notes.Count -gt 0) {
        $Writer.WriteStartElement('maml', 'alertSet', $script:Maml)
        $Writer.WriteStartElement('maml', 'alert', $script:Maml)
        Write-Paragraphs $Writer $Source.Notes
        $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }
    Write-Examples $Writer $Source
    Write-RelatedLinks $Writer $Source
    $Writer.WriteEndElement()
}

<#
.SYNOPSIS
    Writes one MAML help file holding the help of the given cmdlets. Each item of -Command has .Metadata and .Source.
#>
function Write-MamlHelp {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [object[]] $Command)

    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $settings.NewLineChars = "`n"
    $writer = [System.Xml.XmlWriter]::Create($Path, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', $script:Msh)
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($item in $Command) { Write-CommandHelp $writer $item.Metadata $item.Source }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally {
        $writer.Dispose()
    }
}

Export-ModuleMember -Function Write-MamlHelp
