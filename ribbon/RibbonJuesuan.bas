Attribute VB_Name = "RibbonJuesuan"
' Ribbon callbacks of juesuan.xlam. Every button of the add-in tab has
' onAction="RibbonJuesuan.OnRibbon"; the button id selects the Python handler
' (addin.excel.HANDLERS). Keep this file ASCII: the VBA project uses codepage 1252.
Option Explicit

Public Sub OnRibbon(control As IRibbonControl)
    RunPython "import addin.excel; addin.excel.on_ribbon('" & control.Id & "')"
End Sub
