/**
 * The room view as a person uses it: clicking a room opens it, shows its history and what arrives, reads it
 * (here and at the server), and sends replies, reactions, edits and deletions; a thread opens in the view and an
 * answer goes into it; reactions other than 👍 from the picker, by mouse, keyboard and as a word; moving through
 * the messages by keyboard; pictures (an image's thumbnail, an avatar) and a file opened in the editor; code
 * highlighted; hostile markup harmless; the editor's selection put in the composer. Against the bed's Synapse and
 * a second user.
 */
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AccountView } from '../../../src/core/account/account-service.ts';
import { createClassicUser, MatrixApi, type MatrixUser } from '../../bed/matrix.ts';
import { solidPng } from '../../../scripts/png.mjs';
import { answerQuickInput, bedInfo, clickNotificationButton, clickTreeRow, screenshot, webview } from '../harness.ts';
import { api, closeRoomViews, notificationWith, recentEvents, until } from '../support.ts';

describe('the room view, as used', function () {
  this.timeout(120_000);

  let me: MatrixUser;
  let theirs: MatrixApi;
  let view: AccountView;
  let design: string;

  /** Opens the room's view and waits for a message in it. */
  async function openDesign(showing: string): Promise<void> {
    await vscode.commands.executeCommand('matrixChannels.showRoom', { accountId: view.id, roomId: design });
    await webview.wait(`.message:has-text("${showing}")`);
  }

  before(async () => {
    const bed = bedInfo();
    let bob: MatrixUser;
    [me, bob] = await Promise.all([createClassicUser(bed), createClassicUser(bed)]);
    theirs = new MatrixApi(bed.classic.baseUrl, bob.accessToken);
    // Bob has a picture before he creates the room, so his membership carries it.
    const avatar = await theirs.upload(solidPng(48, 48, [200, 40, 40]), 'image/png', 'bob.png');
    await theirs.request('PUT', `/_matrix/client/v3/profile/${encodeURIComponent(bob.userId)}/avatar_url`, {
      avatar_url: avatar,
    });
    design = await theirs.createRoom({ name: 'Design', invite: [me.userId] });
    await new MatrixApi(bed.classic.baseUrl, me.accessToken).join(design);
    view = await vscode.commands.executeCommand<AccountView>('matrixChannels.signIn', {
      homeserver: bed.classic.baseUrl,
      userId: me.userId,
      password: me.password,
    });
    await until('the room known', async () => (await api()).rooms(view.id).find((room) => room.roomId === design));
  });

  afterEach(closeRoomViews);

  it('clicking a room opens its view: history, live messages; reply, react, edit and delete from it; it reads the room', async () => {
    await theirs.sendText(design, 'shall we ship it?');
    await until('the message counted', async () =>
      ((await api()).rooms(view.id).find((r) => r.roomId === design)?.unread ?? 0) > 0 ? true : undefined,
    );
    await vscode.commands.executeCommand('matrixChannels.accounts.focus');
    await clickTreeRow('Accounts', 'Design');
    const question = await webview.wait('.message:has-text("shall we ship it?")');
    assert.equal(question.count, 1, 'the latest message, once');
    // Looking at the room is reading it: the server, the tree and other clients agree.
    await until('the room read', async () =>
      (await api()).rooms(view.id).find((r) => r.roomId === design)?.unread === 0 ? true : undefined,
    );
    // At the server too: the read marker is on the message, where other clients look for it.
    const questionId = (await recentEvents(theirs, design)).find(
      (e) => e.content['body'] === 'shall we ship it?',
    )?.event_id;
    const mine = new MatrixApi(bedInfo().classic.baseUrl, me.accessToken);
    const marker = `/_matrix/client/v3/user/${encodeURIComponent(me.userId)}/rooms/${encodeURIComponent(design)}/account_data/m.fully_read`;
    await until('the read marker at the server', async () =>
      (await mine.request<{ event_id?: string }>('GET', marker).catch(() => ({ event_id: undefined }))).event_id ===
      questionId
        ? true
        : undefined,
    );

    await theirs.sendText(design, 'or wait for Monday?');
    await webview.wait('.message:has-text("or wait for Monday?")');
    // A message's actions show when it has the pointer or the focus.
    await webview.click('.message:has-text("or wait for Monday?") .body');
    await webview.click('.message:has-text("or wait for Monday?") button.reply');
    await webview.wait('.reply-bar', { text: 'Replying to' });
    await webview.fill('#composer textarea', 'ship it **today**');
    await webview.press('#composer textarea', 'Enter');
    const answer = await until('the reply at the server', async () =>
      (await recentEvents(theirs, design)).find(
        (e) => e.sender === me.userId && e.content['body'] === 'ship it **today**',
      ),
    );
    const monday = (await recentEvents(theirs, design)).find((e) => e.content['body'] === 'or wait for Monday?');
    assert.deepEqual(answer.content['m.relates_to'], { 'm.in_reply_to': { event_id: monday?.event_id } });
    // Markdown, with its HTML twin.
    assert.equal(answer.content['formatted_body'], '<p>ship it <strong>today</strong></p>');
    await webview.wait('.message.mine:has-text("ship it today") .reply-quote', { text: 'or wait for Monday?' });
    assert.equal(
      (await webview.read('#composer textarea', { property: 'value' })).property,
      '',
      'the composer empties',
    );

    await webview.click('.message:has-text("shall we ship it?") .body');
    await webview.click('.message:has-text("shall we ship it?") button.react');
    const reaction = await until('the reaction at the server', async () =>
      (await recentEvents(theirs, design)).find((e) => e.type === 'm.reaction' && e.sender === me.userId),
    );
    assert.deepEqual(reaction.content['m.relates_to'], {
      rel_type: 'm.annotation',
      event_id: (await recentEvents(theirs, design)).find((e) => e.content['body'] === 'shall we ship it?')?.event_id,
      key: '👍',
    });
    await webview.wait('.message:has-text("shall we ship it?") button.reaction[aria-pressed="true"]', { text: '👍 1' });

    // Our own message: edited, then deleted (after a yes).
    await webview.click('.message.mine:has-text("ship it today") .body');
    await webview.click('.message.mine:has-text("ship it today") button.edit');
    await webview.wait('.reply-bar', { text: 'Editing your message' });
    await webview.fill('#composer textarea', 'ship it tomorrow');
    await webview.press('#composer textarea', 'Enter');
    const edit = await until('the edit at the server', async () =>
      (await recentEvents(theirs, design)).find((e) => e.content['m.new_content'] !== undefined),
    );
    assert.deepEqual(edit.content['m.relates_to'], { rel_type: 'm.replace', event_id: answer.event_id });
    assert.deepEqual(edit.content['m.new_content'], { msgtype: 'm.text', body: 'ship it tomorrow' });
    await webview.wait('.message.mine:has-text("ship it tomorrow") .body', { text: 'ship it tomorrow (edited)' });
    await webview.click('.message.mine:has-text("ship it tomorrow") .body');
    await webview.click('.message.mine:has-text("ship it tomorrow") button.delete');
    await clickNotificationButton('Delete this message for everyone in the room?', 'Delete');
    await until('the message deleted at the server', async () =>
      (await recentEvents(theirs, design)).find(
        (e) => e.type === 'm.room.redaction' && (e.redacts ?? e.content['redacts']) === answer.event_id,
      ),
    );
    await webview.wait(`.message[data-event-id="${answer.event_id}"] .body`, { text: 'Message deleted' });
    await screenshot('room-view', { frame: 'webview' });
  });

  it('Open Room… finds the room by its alias, and opens it', async () => {
    const alias = `#designers-${Date.now().toString(36)}:${me.userId.split(':').slice(1).join(':')}`;
    await theirs.request('PUT', `/_matrix/client/v3/directory/room/${encodeURIComponent(alias)}`, { room_id: design });
    await theirs.request('PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(design)}/state/m.room.canonical_alias`, {
      alias,
    });
    await theirs.sendText(design, 'found by alias');
    await until('the alias known', async () =>
      (await api()).rooms(view.id).find((room) => room.roomId === design)?.alias === alias ? true : undefined,
    );
    const opening = vscode.commands.executeCommand('matrixChannels.showRoom');
    const seen = await answerQuickInput({ value: alias.slice(1, 12), itemsAfterTyping: true });
    assert.ok(
      seen.items?.some((item) => item.includes('Design') && item.includes(alias)),
      JSON.stringify(seen.items),
    );
    await opening;
    await webview.wait('.message:has-text("found by alias")');
  });

  it('a thread opens in the view, an answer goes into it, and Back to the Room returns', async () => {
    const root = await theirs.sendText(design, 'release plan?');
    const inThread = { 'm.relates_to': { rel_type: 'm.thread', event_id: root } };
    await theirs.sendText(design, 'v1 on Monday', inThread);
    const latest = await theirs.sendText(design, 'docs first', inThread);
    await theirs.sendText(design, 'unrelated chatter');
    await openDesign('unrelated chatter');
    assert.equal((await webview.read('.message:has-text("docs first")')).count, 0, 'replies stay in their thread');
    await webview.click('.message:has-text("release plan?") button.thread');
    await webview.wait('.thread-bar', { text: 'Thread' });
    await webview.wait('.message:has-text("docs first")');
    assert.equal((await webview.read('.message:has-text("unrelated chatter")')).count, 0, 'the room is not shown');
    await webview.fill('#composer textarea', 'sounds good');
    await webview.press('#composer textarea', 'Enter');
    const answer = await until('the answer at the server', async () =>
      (await recentEvents(theirs, design)).find((e) => e.content['body'] === 'sounds good'),
    );
    assert.deepEqual(answer.content['m.relates_to'], {
      rel_type: 'm.thread',
      event_id: root,
      is_falling_back: true,
      'm.in_reply_to': { event_id: latest },
    });
    await webview.wait('.message.mine:has-text("sounds good")');
    await webview.click('button.back-to-room');
    await webview.wait('.thread-bar', { state: 'hidden' });
    await webview.wait('.message:has-text("release plan?") button.thread', { text: '3 replies in a thread' });
    await webview.wait('.message:has-text("unrelated chatter")');
  });

  it('reacts from the picker by mouse, by keyboard and with a word; Escape closes it', async () => {
    const logo = await theirs.sendText(design, 'new logo?');
    await openDesign('new logo?');
    const message = '.message:has-text("new logo?")';
    const reactionsAtServer = async (count: number) =>
      until(`${count} reactions at the server`, async () => {
        const keys = (await recentEvents(theirs, design))
          .filter(
            (e) => e.type === 'm.reaction' && (e.content['m.relates_to'] as { event_id?: string }).event_id === logo,
          )
          .map((e) => (e.content['m.relates_to'] as { key: string }).key);
        return keys.length >= count ? keys.sort() : undefined;
      });
    await webview.click(`${message} .body`);
    await webview.click(`${message} button.more-reactions`);
    await webview.click(`${message} .reaction-picker button.reaction-choice:has-text("🎉")`);
    assert.deepEqual(await reactionsAtServer(1), ['🎉']);
    await webview.wait(`${message} button.reaction[aria-pressed="true"]`, { text: '🎉 1' });

    // The picker opens with the focus on its first reaction; the arrows move it.
    await webview.click(`${message} .body`);
    await webview.click(`${message} button.more-reactions`);
    await webview.press(`${message} .reaction-picker button.reaction-choice >> nth=0`, 'ArrowRight');
    await webview.press(':focus', 'Enter');
    assert.deepEqual(await reactionsAtServer(2), ['👎', '🎉'].sort());

    await webview.click(`${message} .body`);
    await webview.click(`${message} button.more-reactions`);
    await webview.fill(`${message} .reaction-other`, 'lgtm');
    await webview.press(`${message} .reaction-other`, 'Enter');
    assert.deepEqual(await reactionsAtServer(3), ['lgtm', '👎', '🎉'].sort());
    await webview.wait(`${message} button.reaction:has-text("lgtm")`, { text: 'lgtm 1' });

    await webview.click(`${message} .body`);
    await webview.click(`${message} button.more-reactions`);
    await webview.wait(`${message} .reaction-picker`);
    await webview.press(':focus', 'Escape');
    await webview.wait(`${message} .reaction-picker`, { state: 'detached' });
    assert.equal((await webview.read(':focus', { attribute: 'class' })).attribute, 'action more-reactions');
  });

  it('by keyboard: Up and Down between messages, Escape to the composer, Up there edits my last message', async () => {
    await theirs.sendText(design, 'first of two');
    await theirs.sendText(design, 'second of two');
    await openDesign('second of two');
    await webview.fill('#composer textarea', 'my own words');
    await webview.press('#composer textarea', 'Enter');
    await webview.wait('.message.mine:has-text("my own words")');
    await webview.click('.message:has-text("second of two") .meta');
    await webview.press('article.message:focus', 'ArrowUp');
    assert.match((await webview.read('article.message:focus')).text, /first of two/);
    await webview.press('article.message:focus', 'ArrowDown');
    assert.match((await webview.read('article.message:focus')).text, /second of two/);
    await webview.press('article.message:focus', 'End');
    assert.match((await webview.read('article.message:focus')).text, /my own words/);
    assert.equal((await webview.read('article.message[tabindex="0"]')).count, 1, 'one Tab stop for the list');
    assert.equal(
      (await webview.read('article.message[tabindex="-1"] :is(button, a[href], pre)[tabindex="0"]')).count,
      0,
      "the other messages' controls are out of the Tab order",
    );
    await webview.press('article.message:focus', 'Escape');
    await webview.wait('#composer:focus-within');
    // Named for screen readers (the toolkit names an unlabelled box "Text area").
    assert.equal((await webview.read('#composer textarea', { attribute: 'aria-label' })).attribute, 'Message');
    await webview.press('#composer textarea', 'ArrowUp');
    await webview.wait('.reply-bar', { text: 'Editing your message' });
    await webview.wait('.message.mine.editing:has-text("my own words")');
    assert.equal((await webview.read('#composer textarea', { property: 'value' })).property, 'my own words');
    await webview.press('#composer textarea', 'Escape');
    await webview.wait('.reply-bar', { state: 'hidden' });
    assert.equal((await webview.read('#composer textarea', { property: 'value' })).property, '');
  });

  it('shows an image as a thumbnail and avatars as pictures; a file opens in the editor and saves', async () => {
    const png = solidPng(640, 480, [30, 90, 200]);
    const url = await theirs.upload(png, 'image/png', 'diagram.png');
    await theirs.sendText(design, 'diagram.png', {
      msgtype: 'm.image',
      url,
      info: { mimetype: 'image/png', w: 640, h: 480, size: png.length },
    });
    const notes = new TextEncoder().encode('remember the milk\n');
    await theirs.sendText(design, 'notes.txt', {
      msgtype: 'm.file',
      url: await theirs.upload(notes, 'text/plain', 'notes.txt'),
      info: { mimetype: 'text/plain', size: notes.length },
    });
    await openDesign('notes.txt');
    const image = '.message:has-text("diagram.png") img.thumbnail-picture';
    await webview.wait(`${image}.loaded`);
    assert.match((await webview.read(image, { attribute: 'src' })).attribute ?? '', /^data:image\/png;base64,/);
    assert.equal((await webview.read(image, { attribute: 'width' })).attribute, '320');
    assert.equal((await webview.read(image, { attribute: 'height' })).attribute, '240');
    const avatar = '.message:has-text("diagram.png") img.avatar-picture';
    await webview.wait(`${avatar}.loaded`);
    assert.match((await webview.read(avatar, { attribute: 'src' })).attribute ?? '', /^data:image\/png;base64,/);
    await webview.wait('.message:has-text("notes.txt") .file-size', { text: '18 B' });

    await webview.click('.message:has-text("notes.txt") .body');
    await webview.click('.message:has-text("notes.txt") button.open-file');
    const opened = await until('the file open in the editor', async () =>
      vscode.workspace.textDocuments.find((doc) => doc.fileName.endsWith('notes.txt')),
    );
    assert.equal(opened.getText(), 'remember the milk\n');

    // Save…: the save dialog offers the workspace and the file's name; accepted, the file is there.
    await openDesign('notes.txt');
    await webview.click('.message:has-text("notes.txt") .body');
    await webview.click('.message:has-text("notes.txt") button.save-file');
    const dialog = await answerQuickInput({});
    assert.match(dialog.value, /notes\.txt$/);
    await notificationWith('Saved notes.txt.');
    const saved = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'notes.txt');
    assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(saved)), 'remember the milk\n');
    await vscode.workspace.fs.delete(saved);
  });

  it("highlights a code block that names its language, in the theme's colours; unnamed code stays plain", async () => {
    await theirs.sendText(design, 'const ready = true;', {
      format: 'org.matrix.custom.html',
      formatted_body: '<pre><code class="language-typescript">const ready = true; // go</code></pre>',
    });
    await theirs.sendText(design, 'plain', {
      format: 'org.matrix.custom.html',
      formatted_body: '<pre><code>const plain = 1;</code></pre>',
    });
    await openDesign('const plain = 1;');
    const code = '.message:has-text("const ready") pre code';
    await webview.wait(`${code}.hljs .hljs-keyword`, { text: 'const' });
    await webview.wait('.message:has-text("const ready") .body.formatted');
    await webview.wait(`${code} .hljs-literal`, { text: 'true' });
    await webview.wait(`${code} .hljs-comment`, { text: '// go' });
    assert.equal((await webview.read('.message:has-text("const plain") pre code span')).count, 0);
  });

  it('hostile markup reaches the page harmless: no script, handler, foreign link or picture', async () => {
    const hostile = [
      '<img src=x onerror="document.title=1">caught <b>one</b>',
      '<a href="javascript:document.title=2">caught two</a>',
      '<svg onload="document.title=3"></svg><style>body{display:none}</style>caught three',
      '<img src="mxc://example.org/emoji" alt=":party:"> caught four',
    ];
    for (const body of hostile)
      await theirs.sendText(design, 'hostile', { format: 'org.matrix.custom.html', formatted_body: body });
    await openDesign('caught four');
    await webview.wait('.message:has-text("caught one") .body b', { text: 'one' });
    await webview.wait('.message:has-text("caught four") .body', { text: ':party: caught four' });
    const page = await webview.html();
    const timeline = page.slice(page.indexOf('class="timeline"'), page.indexOf('class="composer"'));
    for (const harmful of [
      /<script/i,
      /\son\w+=/i,
      /javascript:/i,
      /<svg/i,
      /<style/i,
      /<img(?![^>]*class="(avatar|thumbnail)-picture)/i,
    ])
      assert.doesNotMatch(timeline, harmful);
  });

  it("Insert Selection puts the editor's selection in the composer as a code block; without one, it says so", async () => {
    await theirs.sendText(design, 'show me the code');
    const doc = await vscode.workspace.openTextDocument({
      language: 'typescript',
      content: 'const answer = 42;\nexport default answer;\n',
    });
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    editor.selection = new vscode.Selection(0, 0, 0, 18);
    await openDesign('show me the code');
    await webview.click('#insert-selection');
    // The composer grows to show the block (five lines).
    await webview.wait('#composer', { attribute: 'rows', value: '5' });
    await until('the code in the composer', async () => {
      const value = (await webview.read('#composer textarea', { property: 'value' })).property;
      return typeof value === 'string' &&
        /^Untitled-\d+, line 1:\n```typescript\nconst answer = 42;\n```\n$/.test(value)
        ? value
        : undefined;
    });
    // The untitled document goes without a question; then no editor has a selection.
    await closeRoomViews();
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('notifications.clearAll');
    await openDesign('show me the code');
    await webview.click('#insert-selection');
    await notificationWith('Select the code in an editor first, then Insert Selection.');
  });
});
