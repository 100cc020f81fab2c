; Inno Setup 6 script for Medirete (per-machine install).
; Build the PyInstaller folder first (dist\medirete), then from the repository root:
;   iscc /DAppVersion=0.1.0 installers\windows\medirete.iss
; The installer goes to dist\installer\. Program files go to Program Files\Medirete;
; each user's data (database, keys, settings) stay in %APPDATA%\Medirete and are
; neither written by the installer nor removed by the uninstaller.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Medirete"
#define SourceDir "..\..\dist\medirete"

[Setup]
; AppId identifies the product for upgrades and uninstall: never change it.
AppId={{D4A743D8-E7B3-43C0-B504-5FFAE3D3C0FF}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Medirete
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist\installer
OutputBaseFilename=medirete-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\medirete.exe
UninstallDisplayName={#AppName} {#AppVersion}
CloseApplications=yes

[Languages]
Name: "italian"; MessagesFile: "compiler:Languages\Italian.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\medirete.exe"
Name: "{group}\{#AppName} Demo"; Filename: "{app}\medirete.exe"; Parameters: "--demo"
Name: "{group}\{#AppName} - amministrazione (riga di comando)"; Filename: "{cmd}"; Parameters: "/k ""{app}\medirete-admin.exe"" --help"; WorkingDir: "{userdocs}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\medirete.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\medirete.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] for %APPDATA%\Medirete on purpose: clinical records are never
; deleted by uninstalling the program.
