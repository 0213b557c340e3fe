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
    <name>AuditDialog</name>
    <message numerus="yes">
        <source>%n event(s) in the period.</source>
        <translation>
            <numerusform>%n event in the period.</numerusform>
            <numerusform>%n events in the period.</numerusform>
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
    <name>RetentionDialog</name>
    <message numerus="yes">
        <source>Saving removes the text of %n message(s) from before %1.</source>
        <translation>
            <numerusform>Saving removes the text of %n message from before %1.</numerusform>
            <numerusform>Saving removes the text of %n messages from before %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) of inquiries still open keep theirs for now.</source>
        <translation>
            <numerusform>%n message of an inquiry still open keeps its text for now.</numerusform>
            <numerusform>%n messages of inquiries still open keep theirs for now.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Remove the text of %n message(s) from before %1? This cannot be undone.</source>
        <translation>
            <numerusform>Remove the text of %n message from before %1? This cannot be undone.</numerusform>
            <numerusform>Remove the text of %n messages from before %1? This cannot be undone.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Retention saved: text removed from %n message(s) from before %1; counts and reports are unchanged.</source>
        <translation>
            <numerusform>Retention saved: text removed from %n message from before %1; counts and reports are unchanged.</numerusform>
            <numerusform>Retention saved: text removed from %n messages from before %1; counts and reports are unchanged.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RetentionNotice</name>
    <message numerus="yes">
        <source>Retention: text removed from %n old message(s); the counts stay.</source>
        <translation>
            <numerusform>Retention: text removed from %n old message; the counts stay.</numerusform>
            <numerusform>Retention: text removed from %n old messages; the counts stay.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SectionTitles</name>
    <message numerus="yes">
        <source>Overdue: %n inquiries past their due time, no response yet</source>
        <translation>
            <numerusform>Overdue: %n inquiry past its due time, no response yet</numerusform>
            <numerusform>Overdue: %n inquiries past their due time, no response yet</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Open: %n inquiries waiting, within the standard</source>
        <translation>
            <numerusform>Open: %n inquiry waiting, within the standard</numerusform>
            <numerusform>Open: %n inquiries waiting, within the standard</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Promised: %n acknowledged, not answered yet</source>
        <translation>
            <numerusform>Promised: %n acknowledged, not answered yet</numerusform>
            <numerusform>Promised: %n acknowledged, not answered yet</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Member answers to verify: %n</source>
        <translation>
            <numerusform>Member answers to verify: %n</numerusform>
            <numerusform>Member answers to verify: %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Follow-ups due today or earlier: %n</source>
        <translation>
            <numerusform>Follow-ups due today or earlier: %n</numerusform>
            <numerusform>Follow-ups due today or earlier: %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Failed sends: %n</source>
        <translation>
            <numerusform>Failed sends: %n</numerusform>
            <numerusform>Failed sends: %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SummaryModel</name>
    <message numerus="yes">
        <source>… and %n more: the inbox&apos;s “%1” filter lists them all.</source>
        <translation>
            <numerusform>… and %n more: the inbox&apos;s “%1” filter lists it with the others.</numerusform>
            <numerusform>… and %n more: the inbox&apos;s “%1” filter lists them all.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more.</source>
        <translation>
            <numerusform>… and %n more.</numerusform>
            <numerusform>… and %n more.</numerusform>
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
