; Inno Setup script: the Windows installer of 信访接待 (xinfang-desk), from the PyInstaller bundle.
; Build on a Windows build PC (steps: installer\README.md):
;   ISCC installer\windows\xinfang-desk.iss      -> dist\xinfang-desk-<version>-setup.exe
; Per-machine install (Program Files, needs administrator rights), Chinese installer UI, start-menu entries,
; an uninstaller that keeps each user's data folder unless asked (or run with /PURGEDATA=yes).
; The version is read from the bundle's xinfang-desk.exe (its version resource comes from the one source,
; xinfang_desk/__init__.py, through installer/xinfang-desk.spec); /DAppVersion=x.y.z overrides it.

#define Root AddBackslash(SourcePath) + "..\..\"
#define Bundle Root + "dist\xinfang-desk\"
#ifndef AppVersion
  #if !FileExists(Bundle + "xinfang-desk.exe")
    #error dist\xinfang-desk\xinfang-desk.exe is missing: build the bundle first (installer\README.md, step 4)
  #endif
  #define AppVersion GetStringFileInfo(Bundle + "xinfang-desk.exe", "ProductVersion")
#endif
#if !FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
  #error Languages\ChineseSimplified.isl is missing in the Inno Setup folder (installer\README.md, step 1)
#endif

[Setup]
AppId={{5B0E7C2A-3D41-4F7B-9A6E-2C8D1F4E7A90}
AppName=信访接待
AppVersion={#AppVersion}
AppVerName=信访接待 {#AppVersion}
AppPublisher=区人民政府信访局
VersionInfoVersion={#AppVersion}
VersionInfoProductName=信访接待 xinfang-desk
DefaultDirName={autopf}\XinfangDesk
DefaultGroupName=信访接待
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#Root}dist
OutputBaseFilename=xinfang-desk-{#AppVersion}-setup
SetupIconFile={#Root}build\icons\xinfang-desk.ico
UninstallDisplayIcon={app}\xinfang-desk-gui.exe
UninstallDisplayName=信访接待 {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no
LanguageDetectionMethod=none
CloseApplications=yes

[Languages]
Name: "chs"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[CustomMessages]
chs.DesktopIcon=在桌面创建快捷方式
chs.SelfTest=信访接待 自检
chs.AskPurge=是否同时删除本机当前用户的信访接待数据（本地数据库、草稿和备份）？%n%n数据文件夹：%1%n%n选择“否”将保留数据，重新安装后可继续使用。
chs.Purged=已删除数据文件夹：%1

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; Flags: unchecked

[Files]
Source: "{#Bundle}*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\信访接待\信访接待"; Filename: "{app}\xinfang-desk-gui.exe"; WorkingDir: "{app}"
Name: "{autoprograms}\信访接待\{cm:SelfTest}"; Filename: "{app}\xinfang-desk.exe"; Parameters: "--self-test"; WorkingDir: "{app}"
Name: "{autoprograms}\信访接待\{cm:UninstallProgram,信访接待}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\信访接待"; Filename: "{app}\xinfang-desk-gui.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\xinfang-desk-gui.exe"; Description: "{cm:LaunchProgram,信访接待}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; only what the program files folder may have gained at run time; never the users' data
Type: filesandordirs; Name: "{app}\__pycache__"

[Code]
{ The data folder is platformdirs' user data dir of the app: %LOCALAPPDATA%\xinfang\xinfang-desk
  (XINFANG_DESK_DATA moves it; such a folder is never touched). Kept unless the user says yes, or the
  uninstaller runs with /PURGEDATA=yes. }
function DataDir(): String;
begin
  Result := ExpandConstant('{localappdata}\xinfang\xinfang-desk');
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Dir: String;
  Purge: Boolean;
begin
  if CurUninstallStep <> usPostUninstall then
    exit;
  Dir := DataDir();
  if not DirExists(Dir) then
    exit;
  Purge := ExpandConstant('{param:PURGEDATA|no}') <> 'no';
  if not Purge and not UninstallSilent() then
    Purge := MsgBox(FmtMessage(CustomMessage('AskPurge'), [Dir]), mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES;
  if Purge and DelTree(Dir, True, True, True) and not UninstallSilent() then
    MsgBox(FmtMessage(CustomMessage('Purged'), [Dir]), mbInformation, MB_OK);
end;
