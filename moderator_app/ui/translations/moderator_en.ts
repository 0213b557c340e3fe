<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AnswersModel</name>
    <message numerus="yes">
        <source>Used %n times</source>
        <translation>
            <numerusform>Used %n time</numerusform>
            <numerusform>Used %n times</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BehindDialog</name>
    <message numerus="yes">
        <source>%n inquiries.</source>
        <translation>
            <numerusform>%n inquiry.</numerusform>
            <numerusform>%n inquiries.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConversationPanel</name>
    <message numerus="yes">
        <source>%n new messages ↓</source>
        <translation>
            <numerusform>%n new message ↓</numerusform>
            <numerusform>%n new messages ↓</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>(And %n more after it.)</source>
        <translation>
            <numerusform>(And %n more after it.)</numerusform>
            <numerusform>(And %n more after it.)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>InboxPanel</name>
    <message numerus="yes">
        <source>⚑ %n member reports waiting for a moderator.</source>
        <translation>
            <numerusform>⚑ %n member report waiting for a moderator.</numerusform>
            <numerusform>⚑ %n member reports waiting for a moderator.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n new members waiting for a welcome.</source>
        <translation>
            <numerusform>%n new member waiting for a welcome.</numerusform>
            <numerusform>%n new members waiting for a welcome.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n requests to join waiting for a moderator.</source>
        <translation>
            <numerusform>%n request to join waiting for a moderator.</numerusform>
            <numerusform>%n requests to join waiting for a moderator.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>⚠ %n messages flagged urgent, not answered or dismissed yet: read them now.</source>
        <translation>
            <numerusform>⚠ %n message flagged urgent, not answered or dismissed yet: read it now.</numerusform>
            <numerusform>⚠ %n messages flagged urgent, not answered or dismissed yet: read them now.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n inquiries</source>
        <translation>
            <numerusform>%n inquiry</numerusform>
            <numerusform>%n inquiries</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>JoinRequestsDialog</name>
    <message numerus="yes">
        <source>%n requests waiting</source>
        <translation>
            <numerusform>%n request waiting</numerusform>
            <numerusform>%n requests waiting</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Approve all %n waiting requests? They join the groups at once.</source>
        <translation>
            <numerusform>Approve the %n waiting request? They join the group at once.</numerusform>
            <numerusform>Approve all %n waiting requests? They join the groups at once.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Decline all %n waiting requests?</source>
        <translation>
            <numerusform>Decline the %n waiting request?</numerusform>
            <numerusform>Decline all %n waiting requests?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LibraryPicker</name>
    <message numerus="yes">
        <source>%n answers</source>
        <translation>
            <numerusform>%n answer</numerusform>
            <numerusform>%n answers</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>Moderator Workstation: %n open inquiries</source>
        <translation>
            <numerusform>Moderator Workstation: %n open inquiry</numerusform>
            <numerusform>Moderator Workstation: %n open inquiries</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n open inquiries</source>
        <translation>
            <numerusform>%n open inquiry</numerusform>
            <numerusform>%n open inquiries</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MemberCardWidget</name>
    <message numerus="yes">
        <source>%n other inquiries</source>
        <translation>
            <numerusform>%n other inquiry</numerusform>
            <numerusform>%n other inquiries</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ModerationDialog</name>
    <message numerus="yes">
        <source>%n warning(s) in the last %1 days</source>
        <translation>
            <numerusform>%n warning in the last %1 days</numerusform>
            <numerusform>%n warnings in the last %1 days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>— the limit is %n: removal is proposed.</source>
        <translation>
            <numerusform>— the limit is %n: removal is proposed.</numerusform>
            <numerusform>— the limit is %n: removal is proposed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>(removal is proposed at %n).</source>
        <translation>
            <numerusform>(removal is proposed at %n).</numerusform>
            <numerusform>(removal is proposed at %n).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ModerationRecordDialog</name>
    <message numerus="yes">
        <source>%n action(s) in the period.</source>
        <translation>
            <numerusform>%n action in the period.</numerusform>
            <numerusform>%n actions in the period.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Wrote %n action(s) to %1.</source>
        <translation>
            <numerusform>Wrote %n action to %1.</numerusform>
            <numerusform>Wrote %n actions to %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message numerus="yes">
        <source>%n messages flagged urgent: see Show ▸ Urgent</source>
        <translation>
            <numerusform>%n message flagged urgent: see Show ▸ Urgent</numerusform>
            <numerusform>%n messages flagged urgent: see Show ▸ Urgent</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n new inquiries</source>
        <translation>
            <numerusform>%n new inquiry</numerusform>
            <numerusform>%n new inquiries</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n inquiries are close to their deadline</source>
        <translation>
            <numerusform>%n inquiry is close to its deadline</numerusform>
            <numerusform>%n inquiries are close to their deadline</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PeopleDialog</name>
    <message numerus="yes">
        <source>%n members</source>
        <translation>
            <numerusform>%n member</numerusform>
            <numerusform>%n members</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReportsDialog</name>
    <message numerus="yes">
        <source>%n open reports</source>
        <translation>
            <numerusform>%n open report</numerusform>
            <numerusform>%n open reports</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message numerus="yes">
        <source>%n welcomes queued.</source>
        <translation>
            <numerusform>%n welcome queued.</numerusform>
            <numerusform>%n welcomes queued.</numerusform>
        </translation>
    </message>
</context>
</TS>
